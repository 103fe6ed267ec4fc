import type { Metadata } from "next";
import { ReportRangeForm } from "@/components/reports/report-range-form";
import { PoolHealth } from "@/components/reports/pool-health";
import { ReportsOverview } from "@/components/reports/reports-overview";
import { DownloadCsvLink } from "@/components/ui/download-csv-link";
import { requireViewer } from "@/lib/auth/get-viewer";
import { isAgencyStaff } from "@/lib/auth/viewer";
import { getDatabase } from "@/lib/db/get-database";
import type { SearchParams } from "@/lib/inbox/inbox-filters";
import { listFilterChoices } from "@/lib/inbox/list-filter-choices";
import { readPoolHealth } from "@/lib/reports/read-pool-health";
import { readReports } from "@/lib/reports/read-reports";
import { parseReportRange } from "@/lib/reports/report-range";

export const metadata: Metadata = { title: "Reports · Leadline" };

const longDay = (day: string) => new Date(`${day}T00:00:00Z`).toLocaleDateString("en-US", { timeZone: "UTC", month: "short", day: "numeric", year: "numeric" });

export default async function ReportsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const viewer = await requireViewer("/reports");
  const now = new Date();
  const parsed = parseReportRange(await searchParams, now);
  const { range } = parsed;
  const db = await getDatabase();
  const [reports, pools, choices] = await Promise.all([
    readReports(db, viewer, range),
    readPoolHealth(db, viewer, range),
    isAgencyStaff(viewer) ? listFilterChoices(db, viewer) : null,
  ]);
  const clientName = range.client ? (choices?.clients?.find((client) => client.id === range.client)?.name ?? range.client) : null;
  const exportQuery = new URLSearchParams({ from: range.from, to: range.to, ...(range.client ? { client: range.client } : {}) });

  return (
    <div className="space-y-5 px-4 py-4 sm:py-6">
      <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Reports</h1>
      <ReportRangeForm range={range} today={now.toISOString().slice(0, 10)} clients={choices?.clients ?? null} />
      {parsed.ok ? null : (
        <p role="alert" className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          Those dates could not be used ({parsed.problem}); showing the last 30 days instead.
        </p>
      )}

      <div className="flex flex-col gap-3 sm:flex-row sm:items-center sm:justify-between">
        <p className="text-slate-800">
          <span className="font-medium">
            {longDay(range.from)} to {longDay(range.to)}
          </span>
          {isAgencyStaff(viewer) ? <span> · {clientName ?? "All clients"}</span> : null}
        </p>
        <DownloadCsvLink href={`/reports/export?${exportQuery}`} />
      </div>
      <p className="-mt-2 text-sm text-slate-700">
        The CSV has one row per lead who called or texted in these dates, with how they first found you (source, campaign, ad click, landing page), tracking
        number and counts for these dates.
      </p>

      <ReportsOverview reports={reports} />
      <PoolHealth pools={pools} showClient={isAgencyStaff(viewer) && !range.client} />
    </div>
  );
}
