import { USAGE_COUNTS, type UsageLine, type UsageMonthReport } from "@/lib/usage/read-usage-month";
import { MarkupForm } from "./markup-form";

const COLUMNS = ["Client", ...USAGE_COUNTS.map((count) => count.label), "Twilio cost", "Not priced yet", "Markup", "Invoice total"];

const count = (n: number) => n.toLocaleString("en-US");

/** An exact decimal in its currency, to the cent or to as many decimals as Twilio's prices have. */
function money(amount: string, currencies: string[], maximumFractionDigits: number): string {
  const number = Number(amount);
  if (currencies.length === 0) return number.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits });
  return number.toLocaleString("en-US", { style: "currency", currency: currencies[0], minimumFractionDigits: 2, maximumFractionDigits });
}

function costCell(line: UsageLine): string {
  return line.cost === null ? `in ${line.currencies.join(" and ")}: not added up` : money(line.cost, line.currencies, 5);
}

function totalCell(line: UsageLine): string {
  return line.invoiceTotal === null ? "—" : money(line.invoiceTotal, line.currencies, 2);
}

/**
 * The month per client, one row each with its markup form, and every client's together at the
 * foot. Wider than a phone, so it scrolls on its own (and by keyboard) rather than the page.
 */
export function UsageTable({ report }: { report: UsageMonthReport }) {
  const figures = (line: UsageLine) => [...USAGE_COUNTS.map((figure) => count(line[figure.key])), costCell(line), count(line.unpriced)];
  return (
    <div role="region" aria-label="Table: usage per client" tabIndex={0} className="overflow-x-auto rounded-lg border border-slate-200 bg-white focus-visible:outline-2 focus-visible:outline-indigo-700">
      <table id="usage-table" className="min-w-full text-left text-sm tabular-nums">
        <caption className="sr-only">Usage per client for the month, and every client together</caption>
        <thead>
          <tr className="border-b border-slate-200 bg-slate-50">
            {COLUMNS.map((column, i) => (
              <th key={column} scope="col" className={`px-3 py-2 font-medium whitespace-nowrap text-slate-700 ${i > 0 ? "text-right" : ""}`}>
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {report.clients.map((line) => (
            <tr key={line.clientId} data-client={line.clientId} className="border-b border-slate-100 align-top">
              <th scope="row" className="px-3 py-2 font-medium whitespace-nowrap text-slate-900">
                {line.clientName}
              </th>
              {figures(line).map((cell, i) => (
                <td key={COLUMNS[i + 1]} className="px-3 py-2 text-right whitespace-nowrap text-slate-900">
                  {cell}
                </td>
              ))}
              <td className="px-3 py-1">
                <MarkupForm clientId={line.clientId!} clientName={line.clientName} markupPercent={line.markupPercent ?? "0"} />
              </td>
              <td className="px-3 py-2 text-right font-semibold whitespace-nowrap text-slate-900">{totalCell(line)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr data-client="" className="border-t-2 border-slate-300 bg-slate-50">
            <th scope="row" className="px-3 py-2 font-semibold whitespace-nowrap text-slate-900">
              {report.total.clientName}
            </th>
            {figures(report.total).map((cell, i) => (
              <td key={COLUMNS[i + 1]} className="px-3 py-2 text-right font-semibold whitespace-nowrap text-slate-900">
                {cell}
              </td>
            ))}
            <td className="px-3 py-2 text-right text-slate-700">—</td>
            <td className="px-3 py-2 text-right font-semibold whitespace-nowrap text-slate-900">{totalCell(report.total)}</td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
