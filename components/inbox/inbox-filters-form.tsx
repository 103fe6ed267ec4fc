import { Search, SlidersHorizontal } from "lucide-react";
import Form from "next/form";
import Link from "next/link";
import { hasActiveFilters, type InboxFilters } from "@/lib/inbox/inbox-filters";
import { LEAD_STATUSES } from "@/lib/inbox/lead-status";
import type { FilterChoices } from "@/lib/inbox/list-filter-choices";
import { AutoSubmitSelect } from "@/components/ui/auto-submit-select";
import { ClientSelect } from "@/components/ui/client-select";

const FIELD = "min-h-11 w-full rounded-md border border-slate-300 bg-white px-3 text-base text-slate-900 focus:border-indigo-600 focus:ring-2 focus:ring-indigo-600/30 focus:outline-none";
const LABEL = "text-sm font-medium text-slate-700";

/**
 * The inbox's search and filters: a GET form (a client-side navigation once the page has loaded), so
 * every view is a URL that can be shared, reloaded and gone back to. Choosing in a select applies
 * at once; the rest apply with the button.
 */
export function InboxFiltersForm({ filters, choices }: { filters: InboxFilters; choices: FilterChoices }) {
  const sources = filters.source && !choices.sources.includes(filters.source) ? [...choices.sources, filters.source] : choices.sources;
  const narrowed = hasActiveFilters({ ...filters, q: undefined });

  return (
    <Form action="/inbox" role="search" aria-label="Find threads" className="space-y-3">
      <div className="flex flex-col gap-3 sm:flex-row sm:items-end">
        <div className="flex-1">
          <label htmlFor="inbox-q" className={LABEL}>
            Search
          </label>
          <div className="relative mt-1">
            <Search aria-hidden="true" className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-slate-500" />
            <input id="inbox-q" name="q" type="search" defaultValue={filters.q ?? ""} placeholder="Number or name" className={`${FIELD} pl-9`} />
          </div>
        </div>
        {choices.clients ? (
          <div className="sm:w-60">
            <label htmlFor="inbox-client" className={LABEL}>
              Client
            </label>
            <ClientSelect id="inbox-client" clients={choices.clients} defaultValue={filters.client ?? ""} className={`${FIELD} mt-1`} />
          </div>
        ) : null}
      </div>

      <details open={narrowed} className="group rounded-lg border border-slate-200 bg-white">
        <summary className="flex min-h-11 cursor-pointer list-none items-center gap-2 px-3 text-sm font-medium text-slate-800 [&::-webkit-details-marker]:hidden">
          <SlidersHorizontal aria-hidden="true" className="size-4" />
          Filters{narrowed ? " (on)" : ""}
        </summary>
        <div className="grid grid-cols-1 gap-3 border-t border-slate-200 p-3 sm:grid-cols-2 lg:grid-cols-4">
          <div>
            <label htmlFor="inbox-status" className={LABEL}>
              Lead status
            </label>
            <AutoSubmitSelect id="inbox-status" name="status" defaultValue={filters.status ?? ""} className={`${FIELD} mt-1`}>
              <option value="">Any status</option>
              {LEAD_STATUSES.map((status) => (
                <option key={status}>{status}</option>
              ))}
            </AutoSubmitSelect>
          </div>
          <div>
            <label htmlFor="inbox-source" className={LABEL}>
              Source
            </label>
            <AutoSubmitSelect id="inbox-source" name="source" defaultValue={filters.source ?? ""} className={`${FIELD} mt-1`}>
              <option value="">Any source</option>
              {sources.map((source) => (
                <option key={source}>{source}</option>
              ))}
            </AutoSubmitSelect>
          </div>
          <div>
            <label htmlFor="inbox-from" className={LABEL}>
              Last activity from
            </label>
            <input id="inbox-from" name="from" type="date" defaultValue={filters.from ?? ""} className={`${FIELD} mt-1`} />
          </div>
          <div>
            <label htmlFor="inbox-to" className={LABEL}>
              Last activity to
            </label>
            <input id="inbox-to" name="to" type="date" defaultValue={filters.to ?? ""} className={`${FIELD} mt-1`} />
          </div>
          <label className="flex min-h-11 items-center gap-2 text-sm text-slate-800 sm:col-span-2">
            <input name="missed" type="checkbox" value="1" defaultChecked={filters.missed ?? false} className="size-5 accent-indigo-700" />
            Only leads with a missed call
          </label>
          <p className="self-center text-xs text-slate-600 sm:col-span-2">Dates are days in UTC.</p>
        </div>
      </details>

      <div className="flex items-center gap-2">
        <button
          type="submit"
          className="inline-flex min-h-11 items-center rounded-md bg-indigo-700 px-4 text-sm font-semibold text-white hover:bg-indigo-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-700"
        >
          Apply
        </button>
        {hasActiveFilters(filters) || filters.client ? (
          <Link href="/inbox" className="inline-flex min-h-11 items-center rounded-md px-3 text-sm font-medium text-indigo-800 underline-offset-4 hover:underline">
            Clear
          </Link>
        ) : null}
      </div>
    </Form>
  );
}
