import { PhoneMissed } from "lucide-react";
import Link from "next/link";
import { LocalTime } from "@/components/ui/local-time";
import { UNREAD_COUNT_CAP, type ThreadSummary } from "@/lib/inbox/list-threads";
import { StatusBadge } from "./status-badge";

/**
 * One row per lead. Each row is a single link whose accessible name reads as the row does: number,
 * name, last activity, unread count. Rows never prefetch: opening a thread marks it read.
 */
export function ThreadList({ threads, showClient }: { threads: ThreadSummary[]; showClient: boolean }) {
  return (
    <ul className="divide-y divide-slate-200 overflow-hidden rounded-lg border border-slate-200 bg-white">
      {threads.map((thread) => (
        <li key={thread.leadId}>
          <Link
            href={`/inbox/${thread.leadId}`}
            prefetch={false}
            className="flex gap-3 px-4 py-3 hover:bg-slate-50 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-indigo-700"
          >
            <div className="min-w-0 flex-1">
              <div className="flex items-baseline justify-between gap-2">
                <p className={`truncate text-base ${thread.unreadCount > 0 ? "font-semibold text-slate-950" : "font-medium text-slate-900"}`}>
                  {thread.name ? (
                    <>
                      {thread.name} <span className="font-normal text-slate-700">{thread.caller}</span>
                    </>
                  ) : (
                    thread.caller
                  )}
                </p>
                <LocalTime iso={thread.lastActivityAt.toISOString()} className="shrink-0 text-xs text-slate-700" />
              </div>
              <p className="mt-0.5 truncate text-sm text-slate-700">{thread.preview}</p>
              <div className="mt-1.5 flex flex-wrap items-center gap-1.5 text-xs text-slate-700">
                <StatusBadge status={thread.status} />
                {thread.missed ? (
                  <span className="inline-flex items-center gap-1 rounded-full bg-rose-50 px-2 py-0.5 font-medium text-rose-800">
                    <PhoneMissed aria-hidden="true" className="size-3" />
                    Missed call
                  </span>
                ) : null}
                {thread.source ? <span>{thread.source}</span> : null}
                {showClient ? <span className="font-medium text-slate-800">· {thread.clientName}</span> : null}
              </div>
            </div>
            {thread.unreadCount > 0 ? (
              <span className="self-center rounded-full bg-indigo-700 px-2 py-0.5 text-xs font-semibold text-white">
                {thread.unreadCount > UNREAD_COUNT_CAP ? `${UNREAD_COUNT_CAP}+` : thread.unreadCount}
                <span className="sr-only"> unread</span>
              </span>
            ) : null}
          </Link>
        </li>
      ))}
    </ul>
  );
}
