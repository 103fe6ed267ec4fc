export type DialOutcome = {
  dialCallStatus?: string;
  dialBridged?: boolean;
  dialCallDuration?: number;
};

export type MissedReason = "no-answer" | "busy" | "failed" | "canceled" | "not-bridged" | "too-short" | "abandoned";

const UNANSWERED = new Set(["no-answer", "busy", "failed", "canceled"]);

/**
 * Why a forwarded call counts as missed, or undefined when the business really talked to the
 * caller. An answer shorter than the client's threshold is how a carrier voicemail pickup or a
 * hang-up at the greeting looks; a threshold of 0 turns that rule off.
 */
export function missedReason(outcome: DialOutcome, missedCallMaxSeconds: number): MissedReason | undefined {
  const status = outcome.dialCallStatus ?? "";
  if (UNANSWERED.has(status)) return status as MissedReason;
  if (status === "") return "abandoned";
  if (outcome.dialBridged === false) return "not-bridged";
  if (missedCallMaxSeconds > 0 && (outcome.dialCallDuration ?? 0) < missedCallMaxSeconds) return "too-short";
  return undefined;
}
