import type { Metadata } from "next";
import Link from "next/link";
import { InboxFiltersForm } from "@/components/inbox/inbox-filters-form";
import { LiveRefresh } from "@/components/inbox/live-refresh";
import { ThreadList } from "@/components/inbox/thread-list";
import { requireViewer } from "@/lib/auth/get-viewer";
import { isAgencyStaff } from "@/lib/auth/viewer";
import { getDatabase } from "@/lib/db/get-database";
import { hasActiveFilters, inboxQueryString, parseInboxSearchParams, type SearchParams } from "@/lib/inbox/inbox-filters";
import { listFilterChoices } from "@/lib/inbox/list-filter-choices";
import { listThreads } from "@/lib/inbox/list-threads";
import { readChangeMarker } from "@/lib/inbox/read-change-marker";

export const metadata: Metadata = { title: "Inbox · Leadline" };

export default async function InboxPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const viewer = await requireViewer("/inbox");
  const { filters, cursor } = parseInboxSearchParams(await searchParams);
  const db = await getDatabase();
  // Read before the threads, so a change landing while they are read still shows on the next poll.
  const marker = await readChangeMarker(db, viewer, { client: filters.client });
  const [page, choices] = await Promise.all([listThreads(db, viewer, filters, cursor), listFilterChoices(db, viewer, filters.client)]);
  const staff = isAgencyStaff(viewer);
  const filtered = hasActiveFilters(filters) || Boolean(filters.client);

  return (
    <div className="space-y-4 px-4 py-4 sm:py-6">
      <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Inbox</h1>
      <InboxFiltersForm filters={filters} choices={choices} />

      <section aria-labelledby="threads-heading" className="space-y-3">
        <h2 id="threads-heading" className="sr-only">
          Threads
        </h2>
        {cursor ? (
          <Link href={`/inbox${inboxQueryString(filters)}`} className="inline-flex min-h-11 items-center text-sm font-medium text-indigo-800 underline underline-offset-4">
            Back to the newest
          </Link>
        ) : null}
        {page.threads.length > 0 ? (
          <ThreadList threads={page.threads} showClient={staff && !filters.client} />
        ) : (
          <div className="rounded-lg border border-dashed border-slate-300 bg-white px-4 py-10 text-center">
            <p className="font-medium text-slate-900">{cursor ? "No older threads." : filtered ? "No threads match." : "No leads yet."}</p>
            <p className="mt-1 text-sm text-slate-700">
              {cursor || filtered ? "Try other filters, or clear them." : "Calls and texts to your tracking numbers show up here as they arrive."}
            </p>
          </div>
        )}
        {page.nextCursor ? (
          <Link
            href={`/inbox${inboxQueryString(filters, page.nextCursor)}`}
            className="flex min-h-11 items-center justify-center rounded-lg border border-slate-300 bg-white text-sm font-semibold text-indigo-800 hover:bg-slate-50"
          >
            Load more
          </Link>
        ) : null}
      </section>
      <LiveRefresh marker={marker} client={filters.client} />
    </div>
  );
}
