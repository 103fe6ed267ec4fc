import type { ServerEnv } from "../env";
import { describeTwilioError } from "../numbers/describe-remote-error";
import { listAccountNumbers } from "../numbers/list-account-numbers";
import { misdirectedWebhooks } from "../numbers/number-webhook-urls";
import { twilioRestClient } from "../twilio/twilio-rest-client";
import { note, ok, problem, type Finding } from "./finding";

const CHECK = "twilio";

/** Every number on the Twilio account sends its calls and texts to PUBLIC_BASE_URL's routes. */
export async function checkTwilioNumbers(env: ServerEnv): Promise<Finding[]> {
  const client = twilioRestClient(env.twilio);
  if (!client) return [];
  let numbers;
  try {
    numbers = await listAccountNumbers(client);
  } catch (error) {
    return [problem(CHECK, `${describeTwilioError(error)}.`)];
  }
  if (numbers.length === 0) return [note(CHECK, "no numbers on the Twilio account yet: npm run numbers:provision buys and points them.")];
  const findings = numbers.flatMap((number) => {
    const fields = misdirectedWebhooks(number.webhooks, env.publicBaseUrl);
    if (fields.length === 0) return [];
    const elsewhere = [...new Set(fields.map((field) => number.webhooks[field] || "empty"))].join(", ");
    return [
      problem(
        CHECK,
        `${number.phoneNumber} does not send ${fields.join(", ")} to ${env.publicBaseUrl} (found ${elsewhere}), so its calls or texts miss Leadline. ` +
          "npm run numbers:list shows each field and the value it needs; set them in the Twilio console (Phone Numbers, Manage, Active numbers).",
      ),
    ];
  });
  if (findings.length === 0) findings.push(ok(CHECK, `all ${numbers.length} numbers on the account point at ${env.publicBaseUrl}`));
  return findings;
}
