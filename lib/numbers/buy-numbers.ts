import type { TwilioRestClient } from "../twilio/twilio-rest-client";
import { describeTwilioError } from "./describe-remote-error";
import { accountNumber, type AccountNumber } from "./list-account-numbers";
import { misdirectedWebhooks, numberWebhookUrls } from "./number-webhook-urls";

// A few more than wanted, so a number sold to someone else between search and purchase has a stand-in.
const SPARE_CANDIDATES = 5;
// Twilio's code for a number that is no longer for sale.
const NOT_AVAILABLE = 21422;

/** Local US numbers for sale in the area code that take calls and texts, a few more than `count`. */
export async function searchNumbers(client: TwilioRestClient, areaCode: string, count: number): Promise<string[]> {
  const found = await client.availablePhoneNumbers("US").local.list({
    areaCode: Number(areaCode),
    voiceEnabled: true,
    smsEnabled: true,
    limit: count + SPARE_CANDIDATES,
  });
  return found.map((number) => number.phoneNumber);
}

export type Purchase = {
  /** Every number this run bought, in order, pointed at us or not. */
  bought: AccountNumber[];
  /** Why buying stopped short; the bought numbers are then the caller's to release. */
  error?: string;
  /** A number whose purchase failed in a way that may have bought it after all, and the account could not say. */
  unsure?: string;
};

/**
 * Buys `count` of the candidates in turn, each with our URLs in the purchase itself, and checks
 * the URLs Twilio answers with, updating any that did not take. A candidate sold meanwhile is
 * passed over. A purchase that fails otherwise may still have bought the number (the answer lost
 * on the way back), so the account is asked before giving up on it.
 */
export async function buyNumbers(client: TwilioRestClient, candidates: string[], count: number, publicBaseUrl: string, friendlyName: string): Promise<Purchase> {
  const urls = numberWebhookUrls(publicBaseUrl);
  const bought: AccountNumber[] = [];
  for (const candidate of candidates) {
    if (bought.length === count) break;
    let number: AccountNumber | undefined;
    try {
      number = accountNumber(await client.incomingPhoneNumbers.create({ phoneNumber: candidate, friendlyName, ...urls }));
    } catch (error) {
      if ((error as { code?: unknown }).code === NOT_AVAILABLE) continue;
      const failed = `Buying ${candidate} failed: ${describeTwilioError(error)}`;
      try {
        number = await findAccountNumber(client, candidate);
      } catch (lookupError) {
        return { bought, error: `${failed}; whether Twilio bought it anyway could not be checked (${describeTwilioError(lookupError)})`, unsure: candidate };
      }
      if (!number) return { bought, error: failed };
    }
    bought.push(number);
    const error = await pointAtUs(client, number, publicBaseUrl);
    if (error) return { bought, error };
  }
  if (bought.length < count) return { bought, error: `Only ${bought.length} of ${count} numbers could be bought: the others found were sold meanwhile. Run the command again.` };
  return { bought };
}

async function pointAtUs(client: TwilioRestClient, number: AccountNumber, publicBaseUrl: string): Promise<string | undefined> {
  if (misdirectedWebhooks(number.webhooks, publicBaseUrl).length === 0) return undefined;
  try {
    const updated = accountNumber(await client.incomingPhoneNumbers(number.sid).update(numberWebhookUrls(publicBaseUrl)));
    const kept = misdirectedWebhooks(updated.webhooks, publicBaseUrl);
    if (kept.length > 0) return `Twilio kept ${kept.join(", ")} of ${number.phoneNumber} pointing elsewhere after the update`;
    return undefined;
  } catch (error) {
    return `Pointing ${number.phoneNumber} at ${publicBaseUrl} failed: ${describeTwilioError(error)}`;
  }
}

async function findAccountNumber(client: TwilioRestClient, phoneNumber: string): Promise<AccountNumber | undefined> {
  const listed = await client.incomingPhoneNumbers.list({ phoneNumber });
  const found = listed.find((number) => number.phoneNumber === phoneNumber);
  return found && accountNumber(found);
}
