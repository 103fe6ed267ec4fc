import type { LoggedCall } from "../twilio/logged-call";
import { missedReason } from "./is-missed-call";
import type { CallOutcome } from "./record-call-outcome-and-queue-follow-ups";

/** What the forwarded leg in Twilio's log says, as the <Dial> action would have; no leg means the caller hung up first. */
export function outcomeOfDialedLeg(dialed: LoggedCall | undefined, missedCallMaxSeconds: number): CallOutcome {
  if (!dialed) return { missed: "abandoned" };
  return {
    missed: missedReason({ dialCallStatus: dialed.status, dialCallDuration: dialed.duration }, missedCallMaxSeconds),
    dialCallSid: dialed.sid,
    dialStatus: dialed.status,
    dialDurationSeconds: dialed.duration,
  };
}
