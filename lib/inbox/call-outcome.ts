/** What became of a call, as the inbox tells it. An abandoned call is stored as missed with that reason. */
export type CallOutcome = "answered" | "missed" | "abandoned" | "unrouted" | "in progress";

export function callOutcome(outcome: string | null, missedReason: string | null): CallOutcome {
  if (outcome === "missed") return missedReason === "abandoned" ? "abandoned" : "missed";
  if (outcome === "answered" || outcome === "unrouted") return outcome;
  return "in progress";
}

/** 184 -> "3:04". */
export function formatDuration(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const rest = String(whole % 60).padStart(2, "0");
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, "0")}:${rest}` : `${minutes}:${rest}`;
}

/** One line for a call in the thread list: "Answered call 3:04", "Missed call", "Missed call, voicemail 0:21". */
export function describeCall(call: { outcome: CallOutcome; talkSeconds: number | null; voicemailSeconds: number | null; hasVoicemail: boolean }): string {
  switch (call.outcome) {
    case "answered":
      return call.talkSeconds === null ? "Answered call" : `Answered call ${formatDuration(call.talkSeconds)}`;
    case "missed":
    case "abandoned": {
      if (!call.hasVoicemail) return call.outcome === "abandoned" ? "Missed call (hung up while ringing)" : "Missed call";
      return call.voicemailSeconds === null ? "Missed call, voicemail" : `Missed call, voicemail ${formatDuration(call.voicemailSeconds)}`;
    }
    case "unrouted":
      return "Call to an inactive number";
    case "in progress":
      return "Call in progress";
  }
}
