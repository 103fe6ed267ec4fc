import { PhoneIncoming, PhoneMissed, PhoneOff, Voicemail } from "lucide-react";
import { LocalTime } from "@/components/ui/local-time";
import { formatDuration } from "@/lib/inbox/call-outcome";
import { describeMissedReason } from "@/lib/inbox/describe-missed-reason";
import type { CallEntry } from "@/lib/inbox/read-thread";

const TITLES: Record<CallEntry["outcome"], string> = {
  answered: "Answered call",
  missed: "Missed call",
  abandoned: "Missed call",
  unrouted: "Call to an inactive number",
  "in progress": "Call in progress",
};

/**
 * A call in the thread: answered or missed, how long, where it rang, where it came from when not
 * where the lead first did, and its voicemail to play in place.
 */
export function CallItem({ call }: { call: CallEntry }) {
  const missed = call.outcome === "missed" || call.outcome === "abandoned";
  const Icon = missed ? PhoneMissed : call.outcome === "answered" ? PhoneIncoming : PhoneOff;
  const details = [
    call.outcome === "answered" && call.durationSeconds !== null ? formatDuration(call.durationSeconds) : null,
    missed ? describeMissedReason(call.missedReason) : null,
    call.forwardedTo ? `rang ${call.forwardedTo}` : null,
  ].filter(Boolean);

  return (
    <div className={`mx-auto w-full max-w-md rounded-lg border px-3 py-2 ${missed ? "border-rose-200 bg-rose-50" : "border-slate-200 bg-white"}`}>
      <div className="flex items-start gap-2">
        <Icon aria-hidden="true" className={`mt-0.5 size-4 shrink-0 ${missed ? "text-rose-700" : "text-emerald-700"}`} />
        <div className="min-w-0 flex-1">
          <p className="text-sm font-semibold text-slate-900">
            {TITLES[call.outcome]}
            {details.length > 0 ? <span className="font-normal text-slate-700"> · {details.join(" · ")}</span> : null}
          </p>
          <LocalTime iso={call.at.toISOString()} style="full" className="text-xs text-slate-700" />
          {call.cameFrom ? <p className="text-xs text-slate-700 wrap-anywhere">From {call.cameFrom}</p> : null}
        </div>
      </div>
      {call.voicemail ? (
        <div className="mt-2">
          <p className="flex items-center gap-1 text-xs font-medium text-slate-800">
            <Voicemail aria-hidden="true" className="size-3.5" />
            Voicemail{call.voicemail.durationSeconds !== null ? ` · ${formatDuration(call.voicemail.durationSeconds)}` : ""}
          </p>
          <audio controls preload="none" src={`/api/recordings/${call.id}`} className="mt-1 w-full" aria-label="Voicemail recording">
            <a href={`/api/recordings/${call.id}`}>Download the voicemail</a>
          </audio>
        </div>
      ) : null}
    </div>
  );
}
