import Form from "next/form";
import Link from "next/link";
import { ClientSelect } from "@/components/ui/client-select";
import { addDays, type ReportRange } from "@/lib/reports/report-range";

const FIELD = "mt-1 min-h-11 w-full rounded-md border border-slate-300 bg-white px-3 text-base text-slate-900 focus:border-indigo-600 focus:ring-2 focus:ring-indigo-600/30 focus:outline-none";
const LABEL = "text-sm font-medium text-slate-700";
const PRESETS = [7, 30, 90] as const;

/** The reports' dates (and, for staff, client): a GET form, so a report is a URL to share and reload. */
export function ReportRangeForm({ range, today, clients }: { range: ReportRange; today: string; clients: { id: string; name: string }[] | null }) {
  const presetHref = (days: number) => {
    const query = new URLSearchParams({ from: addDays(today, 1 - days), to: today });
    if (range.client) query.set("client", range.client);
    return `/reports?${query}`;
  };

  return (
    <Form action="/reports" aria-label="Report dates" className="space-y-3">
      <div className="grid grid-cols-2 gap-3 sm:flex sm:items-end">
        <div className="sm:w-44">
          <label htmlFor="report-from" className={LABEL}>
            From
          </label>
          <input id="report-from" name="from" type="date" required max={today} defaultValue={range.from} className={FIELD} />
        </div>
        <div className="sm:w-44">
          <label htmlFor="report-to" className={LABEL}>
            To
          </label>
          <input id="report-to" name="to" type="date" required max={today} defaultValue={range.to} className={FIELD} />
        </div>
        {clients ? (
          <div className="col-span-2 sm:w-60">
            <label htmlFor="report-client" className={LABEL}>
              Client
            </label>
            <ClientSelect id="report-client" clients={clients} defaultValue={range.client ?? ""} className={FIELD} />
          </div>
        ) : null}
        <button
          type="submit"
          className="col-span-2 inline-flex min-h-11 items-center justify-center rounded-md bg-indigo-700 px-4 text-sm font-semibold text-white hover:bg-indigo-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-700 sm:col-span-1"
        >
          Show
        </button>
      </div>
      <p className="flex flex-wrap items-center gap-x-1 text-sm text-slate-700">
        <span>Days are UTC days. Quick ranges:</span>
        {PRESETS.map((days) => (
          <Link key={days} href={presetHref(days)} className="inline-flex min-h-11 items-center px-1 font-medium text-indigo-800 underline underline-offset-4">
            last {days} days
          </Link>
        ))}
      </p>
    </Form>
  );
}
