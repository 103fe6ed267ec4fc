import type { AirtableSettings } from "../airtable/airtable-base";
import { serverEnv, type ServerEnv } from "../env";
import { twilioRestClient, type TwilioRestClient } from "../twilio/twilio-rest-client";

export type NumbersCommandEnv = { env: ServerEnv; client: TwilioRestClient; settings: AirtableSettings };

/**
 * What every numbers command needs, or an error saying which variable to set: the Twilio account,
 * the Airtable base, and where that matters, PUBLIC_BASE_URL set on purpose (its development
 * default, localhost, is somewhere Twilio cannot reach).
 */
export function numbersCommandEnv(command: string, needs: { publicBaseUrl: boolean }, variables: Record<string, string | undefined>): NumbersCommandEnv {
  const env = serverEnv();
  if (!env.twilio.accountSid || !variables.TWILIO_AUTH_TOKEN) {
    throw new Error(`npm run ${command} needs TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN, from the Twilio console (see .env.example).`);
  }
  if (!env.airtable) throw new Error(`npm run ${command} needs AIRTABLE_TOKEN and AIRTABLE_BASE_ID, for the Client Configuration rows (see .env.example).`);
  if (needs.publicBaseUrl && !variables.PUBLIC_BASE_URL) {
    throw new Error(`npm run ${command} needs PUBLIC_BASE_URL: the https origin Twilio calls, e.g. https://leads.example.com, where the numbers' webhooks must point.`);
  }
  return { env, client: twilioRestClient(env.twilio)!, settings: env.airtable };
}
