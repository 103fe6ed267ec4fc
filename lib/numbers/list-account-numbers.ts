import type { IncomingPhoneNumberInstance } from "twilio/lib/rest/api/v2010/account/incomingPhoneNumber";
import type { TwilioRestClient } from "../twilio/twilio-rest-client";
import { numberWebhookUrls, type NumberWebhookUrls } from "./number-webhook-urls";

// Twilio's largest page: an agency's numbers are then one request or a few.
const PAGE_SIZE = 1000;

export type AccountNumber = {
  sid: string;
  phoneNumber: string;
  friendlyName: string;
  webhooks: Partial<Record<keyof NumberWebhookUrls, string | null>>;
};

const WEBHOOK_FIELDS = Object.keys(numberWebhookUrls("")) as (keyof NumberWebhookUrls)[];

export function accountNumber(number: IncomingPhoneNumberInstance): AccountNumber {
  const webhooks: AccountNumber["webhooks"] = {};
  for (const field of WEBHOOK_FIELDS) webhooks[field] = number[field] ?? null;
  return { sid: number.sid, phoneNumber: number.phoneNumber, friendlyName: number.friendlyName, webhooks };
}

/** Every IncomingPhoneNumber on the account, every page, through the twilio package. */
export async function listAccountNumbers(client: TwilioRestClient): Promise<AccountNumber[]> {
  const numbers = await client.incomingPhoneNumbers.list({ pageSize: PAGE_SIZE });
  return numbers.map(accountNumber);
}
