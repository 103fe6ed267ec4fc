import type { ReactNode } from "react";
import { ReportBarChart, type ChartRow, type ChartSeries } from "./report-bar-chart";

export type Figure = { label: string; value: string; note?: string };
export type NumbersTable = { caption: string; columns: string[]; rows: { key: string; cells: (string | number)[] }[] };

/**
 * One report: its chart with the headline figures beside it, and every number the chart draws in a
 * table under it (folded away, as it can be 366 rows long).
 */
export function ReportSection({
  id,
  title,
  description,
  figures,
  chart,
  table,
}: {
  id: string;
  title: string;
  description: ReactNode;
  figures: Figure[];
  chart: { rows: ChartRow[]; series: ChartSeries[]; stacked?: boolean; summary: string };
  table: NumbersTable;
}) {
  return (
    <section aria-labelledby={`${id}-heading`} className="rounded-lg border border-slate-200 bg-white p-4 sm:p-5">
      <h2 id={`${id}-heading`} className="text-lg font-semibold text-slate-900">
        {title}
      </h2>
      <p className="mt-1 text-sm text-slate-700">{description}</p>
      <div className="mt-4 grid gap-4 lg:grid-cols-3">
        <div className="lg:col-span-2">
          <ReportBarChart {...chart} />
        </div>
        <dl className="grid grid-cols-2 content-start gap-3 lg:grid-cols-1">
          {figures.map((figure) => (
            <div key={figure.label} className="rounded-md bg-slate-50 px-3 py-2">
              <dt className="text-sm text-slate-700">{figure.label}</dt>
              <dd className="text-xl font-semibold text-slate-900 tabular-nums">
                {figure.value}
                {figure.note ? <span className="ml-1 text-sm font-normal text-slate-700">{figure.note}</span> : null}
              </dd>
            </div>
          ))}
        </dl>
      </div>
      <details className="mt-4">
        <summary className="inline-flex min-h-11 cursor-pointer items-center text-sm font-medium text-indigo-800">Show the numbers</summary>
        {/* Focusable, so a keyboard can scroll a table wider than a phone. */}
        <div role="region" aria-label={`Table: ${table.caption}`} tabIndex={0} className="mt-2 overflow-x-auto focus-visible:outline-2 focus-visible:outline-indigo-700">
          <table className="min-w-full text-left text-sm tabular-nums">
            <caption className="sr-only">{table.caption}</caption>
            <thead>
              <tr className="border-b border-slate-200">
                {table.columns.map((column, i) => (
                  <th key={`${i}-${column}`} scope="col" className={`px-2 py-2 font-medium whitespace-nowrap text-slate-700 ${i > 0 ? "text-right" : ""}`}>
                    {column}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {table.rows.map((row) => (
                <tr key={row.key} className="border-b border-slate-100 last:border-0">
                  {row.cells.map((cell, i) =>
                    i === 0 ? (
                      <th key={i} scope="row" className="px-2 py-1.5 font-normal whitespace-nowrap text-slate-900">
                        {cell}
                      </th>
                    ) : (
                      <td key={i} className="px-2 py-1.5 text-right text-slate-900">
                        {cell}
                      </td>
                    ),
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </section>
  );
}
