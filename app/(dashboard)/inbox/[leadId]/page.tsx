import { ArrowLeft } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { LeadPanelForm } from "@/components/inbox/lead-panel-form";
import { LiveRefresh } from "@/components/inbox/live-refresh";
import { ReplyForm } from "@/components/inbox/reply-form";
import { StatusBadge } from "@/components/inbox/status-badge";
import { Timeline } from "@/components/inbox/timeline";
import { requireViewer } from "@/lib/auth/get-viewer";
import { isAgencyStaff } from "@/lib/auth/viewer";
import { getDatabase } from "@/lib/db/get-database";
import { markThreadRead } from "@/lib/inbox/mark-thread-read";
import { readChangeMarker } from "@/lib/inbox/read-change-marker";
import { readThread } from "@/lib/inbox/read-thread";

export const metadata: Metadata = { title: "Thread · Leadline" };

export default async function ThreadPage({ params }: { params: Promise<{ leadId: string }> }) {
  const { leadId } = await params;
  const viewer = await requireViewer(`/inbox/${leadId}`);
  const db = await getDatabase();
  // Read before the thread, so a change landing while it is read still shows on the next poll.
  const marker = await readChangeMarker(db, viewer, { lead: leadId });
  const thread = await readThread(db, viewer, leadId);
  if (!thread) notFound();
  await markThreadRead(db, viewer, leadId);

  const { lead } = thread;
  const staff = isAgencyStaff(viewer);
  const facts = [lead.source, lead.trackingNumber && `via ${lead.trackingNumber}`, staff ? lead.clientName : null].filter(Boolean);

  return (
    <div className="px-4 py-4 sm:py-6">
      <Link href="/inbox" className="inline-flex min-h-11 items-center gap-1 text-sm font-medium text-indigo-800 underline-offset-4 hover:underline">
        <ArrowLeft aria-hidden="true" className="size-4" />
        Inbox
      </Link>
      <header className="mt-1 mb-4">
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900">
          {lead.name ? (
            <>
              {lead.name} <span className="block text-lg font-normal text-slate-700 sm:inline">{lead.caller}</span>
            </>
          ) : (
            lead.caller
          )}
        </h1>
        <p className="mt-1 flex flex-wrap items-center gap-2 text-sm text-slate-700">
          <StatusBadge status={lead.status} />
          {facts.join(" · ")}
        </p>
      </header>

      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_20rem]">
        <section aria-labelledby="timeline-heading" className="space-y-4">
          <h2 id="timeline-heading" className="sr-only">
            Calls and texts
          </h2>
          <Timeline entries={thread.timeline} olderOmitted={thread.olderOmitted} forwardedTo={staff ? `${lead.clientName}'s phone` : "your phone"} />
          <ReplyForm leadId={lead.id} disabledReason={thread.replyDisabledReason} />
        </section>
        <section aria-labelledby="lead-heading" className="h-fit rounded-lg border border-slate-200 bg-white p-4 lg:sticky lg:top-4">
          <h2 id="lead-heading" className="mb-3 text-lg font-semibold text-slate-900">
            Lead
          </h2>
          <LeadPanelForm lead={lead} />
        </section>
      </div>
      <LiveRefresh marker={marker} lead={lead.id} />
    </div>
  );
}
