// listAccountNumbers (what numbers:list and doctor read) through the real twilio client, against
// one TWILIO_API_URL serving both Twilio stand-ins, as doctor and the scale bench use them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAccountNumbers } from "@/lib/numbers/list-account-numbers";
import { numberWebhookUrls } from "@/lib/numbers/number-webhook-urls";
import { twilioRestClient } from "@/lib/twilio/twilio-rest-client";
import { serveStandIn, type RunningStandIn } from "../support/stand-ins/serve-stand-in";
import { twilioApiStandIn } from "../support/stand-ins/twilio-api";
import { twilioPhoneNumbersStandIn, twilioWithPhoneNumbers } from "../support/stand-ins/twilio-phone-numbers";

const env = process.env as Record<string, string>;
const phoneNumbers = twilioPhoneNumbersStandIn({ accountSid: env.TWILIO_ACCOUNT_SID, authToken: env.TWILIO_AUTH_TOKEN });
const api = twilioApiStandIn({ accountSid: env.TWILIO_ACCOUNT_SID, authToken: env.TWILIO_AUTH_TOKEN });
let served: RunningStandIn;
beforeAll(async () => {
  served = await serveStandIn(twilioWithPhoneNumbers(phoneNumbers, api));
});
afterAll(() => served.close());

describe("listAccountNumbers", () => {
  it("reads every number on every page with its webhooks, from a Twilio that also sends texts", async () => {
    const twilioEnv = { accountSid: env.TWILIO_ACCOUNT_SID, authTokens: [env.TWILIO_AUTH_TOKEN], apiUrl: served.url };
    phoneNumbers.limitPageSize(2);
    const pointed = numberWebhookUrls("https://leads.agency.example");
    const sids = ["+15125550101", "+15125550102", "+15125550103", "+15125550104", "+15125550105"].map((number) => phoneNumbers.own(number, pointed));
    phoneNumbers.own("+15125550106", { voiceUrl: "https://elsewhere.example/voice" }, "Old line");

    const client = twilioRestClient(twilioEnv)!;

    const numbers = await listAccountNumbers(client);

    expect(numbers).toHaveLength(6);
    expect(numbers.slice(0, 5).map((number) => number.sid)).toEqual(sids);
    expect(numbers[0]).toEqual({ sid: sids[0], phoneNumber: "+15125550101", friendlyName: "(512) 555-0101", webhooks: pointed });
    expect(numbers[5]).toMatchObject({ phoneNumber: "+15125550106", friendlyName: "Old line", webhooks: { voiceUrl: "https://elsewhere.example/voice", smsUrl: "", smsMethod: "POST" } });
    expect(phoneNumbers.requests.filter((request) => request.operation === "list")).toHaveLength(3);

    await client.messages.create({ to: "+12145550111", from: "+15125550101", body: "hello" });
    expect(api.sent).toEqual([expect.objectContaining({ to: "+12145550111", body: "hello" })]);
  });
});
