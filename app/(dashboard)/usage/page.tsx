import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { DownloadCsvLink } from "@/components/ui/download-csv-link";
import { UsageMonthForm } from "@/components/usage/usage-month-form";
import { UsageTable } from "@/components/usage/usage-table";
import { requireViewer } from "@/lib/auth/get-viewer";
import { isAgencyStaff } from "@/lib/auth/viewer";
import { getDatabase } from "@/lib/db/get-database";
import type { SearchParams } from "@/lib/inbox/inbox-filters";
import { readUsageMonth } from "@/lib/usage/read-usage-month";
import { currentUsageMonth, longUsageMonth, parseUsageMonth } from "@/lib/usage/usage-month";

export const metadata: Metadata = { title: "Usage · Leadline" };

export default async function UsagePage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const viewer = await requireViewer("/usage");
  if (!isAgencyStaff(viewer)) notFound();
  const now = new Date();
  const parsed = parseUsageMonth(await searchParams, now);
  const { month } = parsed;
  const report = await readUsageMonth(await getDatabase(), viewer, month);

  return (
    <div className="space-y-5 px-4 py-4 sm:py-6">
      <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Usage</h1>
      <UsageMonthForm month={month} thisMonth={currentUsageMonth(now)} />
      {parsed.ok ? null : (
        <p role="alert" className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          That month could not be used ({parsed.problem}); showing this month instead.
        </p>
      )}

      <div className="flex flex-col gap-3 sm:flex-row sm:items-center sm:justify-between">
        <p className="font-medium text-slate-800">{longUsageMonth(month)} (UTC)</p>
        <DownloadCsvLink href={`/usage/export?month=${month}`} />
      </div>
      <div className="space-y-1 text-sm text-slate-700">
        <p>
          Minutes are billed per started minute of each call leg, as Twilio bills them: each leg&apos;s seconds are rounded up on their own (a 61-second call is 2
          minutes). Inbound minutes are the callers&apos; calls to the tracking numbers; forwarded minutes are the legs Leadline dials to the client.
        </p>
        <p>
          Twilio cost is the sum of Twilio&apos;s own prices for those calls and texts, collected from Twilio&apos;s records by reconciliation once Twilio has priced them
          (usually minutes after a call or text); &ldquo;Not priced yet&rdquo; counts the ones still waiting, which the cost leaves out. Number-days (each day a
          tracking number was held) have no price here: Twilio bills numbers monthly. Invoice total = Twilio cost × (1 + markup %), rounded to the cent.
        </p>
      </div>

      <UsageTable report={report} />
    </div>
  );
}
