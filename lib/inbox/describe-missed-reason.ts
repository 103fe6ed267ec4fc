// Why a call counts as missed, as stored (lib/calls/is-missed-call.ts), in words for the thread.
const REASONS: Record<string, string> = {
  "no-answer": "nobody answered",
  busy: "the line was busy",
  failed: "the call could not be put through",
  canceled: "the caller hung up while it rang",
  "not-bridged": "the call was never connected",
  "too-short": "answered for only a few seconds, likely by voicemail",
  abandoned: "the caller hung up while it rang",
};

export function describeMissedReason(reason: string | null): string | null {
  if (reason === null) return null;
  return REASONS[reason] ?? reason;
}
