import Form from "next/form";
import Link from "next/link";
import { ChevronLeft, ChevronRight } from "lucide-react";
import { shiftUsageMonth, type UsageMonth } from "@/lib/usage/usage-month";

const FIELD = "mt-1 min-h-11 w-full rounded-md border border-slate-300 bg-white px-3 text-base text-slate-900 focus:border-indigo-600 focus:ring-2 focus:ring-indigo-600/30 focus:outline-none";
const STEP = "inline-flex min-h-11 items-center gap-1 px-1 text-sm font-medium text-indigo-800 underline underline-offset-4";

/** The month to bill (a UTC month): a GET form, so a month's usage is a URL to share and reload. */
export function UsageMonthForm({ month, thisMonth }: { month: UsageMonth; thisMonth: UsageMonth }) {
  const next = shiftUsageMonth(month, 1);
  return (
    <Form action="/usage" aria-label="Usage month" className="space-y-2">
      <div className="flex flex-wrap items-end gap-3">
        <div className="w-48">
          <label htmlFor="usage-month" className="text-sm font-medium text-slate-700">
            Month (UTC)
          </label>
          <input id="usage-month" name="month" type="month" required max={thisMonth} defaultValue={month} className={FIELD} />
        </div>
        <button
          type="submit"
          className="inline-flex min-h-11 items-center justify-center rounded-md bg-indigo-700 px-4 text-sm font-semibold text-white hover:bg-indigo-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-700"
        >
          Show
        </button>
      </div>
      <p className="flex flex-wrap items-center gap-x-3 text-sm">
        <Link href={`/usage?month=${shiftUsageMonth(month, -1)}`} className={STEP}>
          <ChevronLeft aria-hidden="true" className="size-4" />
          Previous month
        </Link>
        {next <= thisMonth ? (
          <Link href={`/usage?month=${next}`} className={STEP}>
            Next month
            <ChevronRight aria-hidden="true" className="size-4" />
          </Link>
        ) : null}
      </p>
    </Form>
  );
}
