// npm run simulate -- call|missed|sms|reply [--to N] [--from N] [--body T] [--server URL]
// Posts webhooks signed exactly as Twilio signs them to a running Leadline server and prints the
// TwiML it answers, so the webhook brain can be watched without a Twilio account.
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import twilio from "twilio";
import { readOrCreateDevAuthToken } from "../lib/twilio/dev-auth-token";

// The seeded demo client (supabase/seed.sql): Acme Plumbing's Google Ads number and its owner's mobile.
const SEEDED_TRACKING_NUMBER = "+15125550100";
const SEEDED_CLIENT_MOBILE = "+15125550112";
const DEMO_CALLER = "+15125550199";

const USAGE = `usage: npm run simulate -- <call|missed|sms|reply> [--to +1...] [--from +1...] [--body "text"] [--server http://localhost:3000]
  call     an inbound call: prints the <Dial> that forwards it
  missed   a call nobody answers: the <Dial>, then the dial outcome (voicemail prompt; a text-back goes out)
  sms      a lead texts the tracking number: prints the relay to the client's mobile
  reply    the client texts back from their mobile: prints the relay to the lead`;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    to: { type: "string", default: SEEDED_TRACKING_NUMBER },
    from: { type: "string" },
    body: { type: "string" },
    server: { type: "string" },
    help: { type: "boolean", short: "h" },
  },
});

const publicBaseUrl = (process.env.PUBLIC_BASE_URL ?? "http://localhost:3000").replace(/\/+$/, "");
const server = (values.server ?? publicBaseUrl).replace(/\/+$/, "");
const authToken = process.env.TWILIO_AUTH_TOKEN || readOrCreateDevAuthToken(process.env.LEADLINE_DATA_DIR ?? ".data");
const accountSid = process.env.TWILIO_ACCOUNT_SID ?? `AC${"0".repeat(32)}`;
const newSid = (prefix: string) => `${prefix}${randomBytes(16).toString("hex")}`;

async function post(path: string, params: Record<string, string>): Promise<string> {
  const signature = twilio.getExpectedTwilioSignature(authToken, publicBaseUrl + path, params);
  let response: Response;
  try {
    response = await fetch(server + path, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": signature },
      body: new URLSearchParams(params),
    });
  } catch (error) {
    throw new Error(`could not reach ${server} (${(error as Error).message}); start the app with npm run dev first`);
  }
  const text = await response.text();
  console.log(`POST ${path} -> ${response.status}\n${text}\n`);
  if (!response.ok) throw new Error(`the server answered ${response.status}`);
  return text;
}

async function main(): Promise<void> {
  const [scenario] = positionals;
  const to = values.to!;
  const callParams = () => ({ AccountSid: accountSid, CallSid: newSid("CA"), From: values.from ?? DEMO_CALLER, To: to, CallStatus: "ringing", Direction: "inbound" });
  switch (scenario) {
    case "call":
      await post("/api/twilio/voice", callParams());
      return;
    case "missed": {
      const call = callParams();
      await post("/api/twilio/voice", call);
      await post("/api/twilio/status?event=dial", { ...call, CallStatus: "in-progress", DialCallStatus: "no-answer", DialCallSid: newSid("CA"), DialBridged: "false" });
      return;
    }
    case "sms":
    case "reply":
      await post("/api/twilio/sms", {
        AccountSid: accountSid,
        MessageSid: newSid("SM"),
        From: values.from ?? (scenario === "reply" ? SEEDED_CLIENT_MOBILE : DEMO_CALLER),
        To: to,
        Body: values.body ?? (scenario === "reply" ? "Thanks for reaching out! We can come by at 3pm." : "Hi, do you do emergency repairs?"),
        NumMedia: "0",
        NumSegments: "1",
      });
      return;
    default:
      console.error(USAGE);
      process.exit(values.help ? 0 : 2);
  }
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
