import { serverEnv } from "../env";
import { loggedCallSchema, type LoggedCall } from "./logged-call";
import { twilioRestClient } from "./twilio-rest-client";

export type DialedLeg = { found: LoggedCall } | { found: "none" } | { found: "unknown"; why: string };

const FINAL_STATUSES = new Set(["completed", "busy", "failed", "no-answer", "canceled"]);

/**
 * The forwarded `<Dial>` leg of a call, from Twilio's own call log: the authority on whether the
 * business answered when our record of the dial outcome is missing. "none" when the call has no
 * leg (the caller hung up before it was placed) or there is no Twilio account to ask (local
 * development); "unknown" when Twilio cannot say right now or the leg has not ended.
 */
export async function readDialedLeg(callSid: string): Promise<DialedLeg> {
  const client = twilioRestClient(serverEnv().twilio);
  if (!client) return { found: "none" };
  let legs: LoggedCall[];
  try {
    const listed = await client.calls.list({ parentCallSid: callSid, limit: 10 });
    legs = listed.flatMap((leg) => {
      const parsed = loggedCallSchema.safeParse(leg);
      return parsed.success ? [parsed.data] : [];
    });
  } catch (error) {
    return { found: "unknown", why: (error as Error).message };
  }
  if (legs.length === 0) return { found: "none" };
  const answered = legs.find((leg) => leg.status === "completed") ?? legs[0];
  if (!FINAL_STATUSES.has(answered.status)) return { found: "unknown", why: `the forwarded leg is still ${answered.status}` };
  return { found: answered };
}
