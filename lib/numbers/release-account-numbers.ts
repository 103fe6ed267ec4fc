import type { TwilioRestClient } from "../twilio/twilio-rest-client";
import { describeTwilioError } from "./describe-remote-error";
import type { AccountNumber } from "./list-account-numbers";

export type Releases = { released: string[]; failed: { phoneNumber: string; error: string }[] };

/** Releases each number on Twilio, one after another, going on past a refusal to name it. */
export async function releaseAccountNumbers(client: TwilioRestClient, numbers: Pick<AccountNumber, "sid" | "phoneNumber">[]): Promise<Releases> {
  const releases: Releases = { released: [], failed: [] };
  for (const number of numbers) {
    try {
      await client.incomingPhoneNumbers(number.sid).remove();
      releases.released.push(number.phoneNumber);
    } catch (error) {
      releases.failed.push({ phoneNumber: number.phoneNumber, error: describeTwilioError(error) });
    }
  }
  return releases;
}
