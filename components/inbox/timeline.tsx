import { TIMELINE_LIMIT, type TimelineEntry } from "@/lib/inbox/read-thread";
import { CallItem } from "./call-item";
import { TextBubble } from "./text-bubble";

/** The lead's calls and texts in the order they happened, newest last, as a chat reads. */
export function Timeline({ entries, olderOmitted, forwardedTo }: { entries: TimelineEntry[]; olderOmitted: boolean; forwardedTo: string }) {
  if (entries.length === 0) return <p className="text-sm text-slate-700">No calls or texts yet.</p>;
  return (
    <>
      {olderOmitted ? <p className="mb-3 text-center text-xs text-slate-700">Showing the latest {TIMELINE_LIMIT} calls and texts.</p> : null}
      <ol aria-label="Calls and texts" className="space-y-3">
        {entries.map((entry) => (
          <li key={`${entry.kind}-${entry.id}`}>{entry.kind === "call" ? <CallItem call={entry} /> : <TextBubble text={entry} forwardedTo={forwardedTo} />}</li>
        ))}
      </ol>
    </>
  );
}
