"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export type ChartSeries = { key: string; label: string; color: string };
export type ChartRow = { label: string } & Record<string, string | number>;

/**
 * One bar chart of a report: a bar (or a stack of bars) per row. The picture is for the eye only;
 * the numbers it draws are in the figures and the table beside it, which is what `summary` points
 * screen readers to.
 */
export function ReportBarChart({ rows, series, stacked = false, summary }: { rows: ChartRow[]; series: ChartSeries[]; stacked?: boolean; summary: string }) {
  return (
    <div role="img" aria-label={summary} className="h-64 w-full">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: -16 }} accessibilityLayer={false}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e2e8f0" />
          <XAxis dataKey="label" tick={{ fontSize: 12, fill: "#475569" }} tickLine={false} minTickGap={12} />
          <YAxis allowDecimals={false} tick={{ fontSize: 12, fill: "#475569" }} tickLine={false} axisLine={false} width={48} />
          <Tooltip cursor={{ fill: "#f1f5f9" }} />
          {series.length > 1 ? (
            <Legend itemSorter={null} wrapperStyle={{ fontSize: 12 }} formatter={(value: string) => <span style={{ color: "#334155" }}>{value}</span>} />
          ) : null}
          {series.map((s) => (
            <Bar key={s.key} dataKey={s.key} name={s.label} fill={s.color} stackId={stacked ? "stack" : undefined} isAnimationActive={false} maxBarSize={48} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
