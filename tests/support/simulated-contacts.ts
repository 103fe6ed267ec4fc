import { POST as sms } from "@/app/api/twilio/sms/route";
import { POST as status } from "@/app/api/twilio/status/route";
import { POST as voice } from "@/app/api/twilio/voice/route";
import { settleDeferredWork } from "./deferred-work";
import { sid, twilioRequest } from "./twilio-webhook";

/**
 * A caller rings a tracking number and the client answers or misses it: the voice webhook, then the
 * <Dial> outcome, as Twilio sends them, with the work each defers to after() run. Returns the
 * voice answer (TwiML).
 */
export async function placeCall(trackingNumber: string, caller: string, outcome: "answered" | "missed"): Promise<string> {
  const callSid = sid("CA");
  const answer = await (await voice(twilioRequest("/api/twilio/voice", { CallSid: callSid, From: caller, To: trackingNumber }))).text();
  const dial: Record<string, string> =
    outcome === "missed" ? { DialCallStatus: "no-answer", DialBridged: "false" } : { DialCallStatus: "completed", DialBridged: "true", DialCallDuration: "95" };
  await status(twilioRequest("/api/twilio/status?event=dial", { CallSid: callSid, From: caller, To: trackingNumber, ...dial }));
  await settleDeferredWork();
  return answer;
}

/** A caller texts a tracking number. */
export async function sendText(trackingNumber: string, caller: string, body: string): Promise<void> {
  await sms(twilioRequest("/api/twilio/sms", { MessageSid: sid("SM"), From: caller, To: trackingNumber, Body: body }));
  await settleDeferredWork();
}
