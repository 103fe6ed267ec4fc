import { formatShare, formatWait } from "@/lib/reports/format-wait";
import type { FirstReplyBucket, ReportDay, Reports } from "@/lib/reports/read-reports";
import { TEXT_BACK_ANSWER_WINDOW } from "@/lib/reports/read-reports";
import type { ChartRow } from "./report-bar-chart";
import { ReportSection } from "./report-section";

// Told apart by more than hue, for colour-blind readers: blue against orange, dark against light.
const SOURCE_COLORS = ["#4338ca", "#0e7490", "#c2410c", "#15803d", "#be185d", "#7c3aed", "#a16207", "#475569"];
const ANSWERED = "#1d4ed8";
const MISSED = "#ea580c";
const FIRST_TIME = "#4338ca";
const REPEAT = "#94a3b8";

const BUCKETS: { key: FirstReplyBucket; label: string }[] = [
  { key: "under5m", label: "Under 5 min" },
  { key: "under1h", label: "5 to 60 min" },
  { key: "under1d", label: "1 to 24 h" },
  { key: "later", label: "A day or more" },
  { key: "never", label: "Not yet" },
];

const shortDay = (day: string) => new Date(`${day}T00:00:00Z`).toLocaleDateString("en-US", { timeZone: "UTC", month: "short", day: "numeric" });
const longDay = (day: string) =>
  new Date(`${day}T00:00:00Z`).toLocaleDateString("en-US", { timeZone: "UTC", weekday: "short", month: "short", day: "numeric", year: "numeric" });
const count = (n: number) => n.toLocaleString("en-US");

function dailyRows(days: ReportDay[], values: (day: ReportDay) => Record<string, number>): ChartRow[] {
  return days.map((day) => ({ label: shortDay(day.day), ...values(day) }));
}

function dailyTable(caption: string, days: ReportDay[], columns: string[], cells: (day: ReportDay) => number[]) {
  return { caption, columns: ["Day", ...columns], rows: days.map((day) => ({ key: day.day, cells: [longDay(day.day), ...cells(day).map(count)] })) };
}

/** The five reports of a range, each a chart with its numbers. */
export function ReportsOverview({ reports }: { reports: Reports }) {
  const { days, totals, sources, firstReply } = reports;
  const sourceSeries = sources.map((source, i) => ({ key: `s${i}`, label: source, color: SOURCE_COLORS[i % SOURCE_COLORS.length] }));
  const unsettled = totals.calls - totals.answered - totals.missed;

  return (
    <div className="space-y-4">
      <ReportSection
        id="calls-by-source"
        title="Calls per day by source"
        description="Every call to a tracking number, by the source of the lead who called."
        figures={[
          { label: "Calls", value: count(totals.calls) },
          ...sources.slice(0, 5).map((source) => ({ label: source, value: count(totals.bySource[source]), note: formatShare(totals.bySource[source], totals.calls) })),
        ]}
        chart={{
          rows: dailyRows(days, (day) => Object.fromEntries(sourceSeries.map((s) => [s.key, day.bySource[s.label] ?? 0]))),
          series: sourceSeries,
          stacked: true,
          summary: `Bar chart of calls per day by source, ${count(totals.calls)} in all; the numbers are beside it and in the table below.`,
        }}
        table={dailyTable("Calls per day by source", days, ["Calls", ...sources], (day) => [day.calls, ...sources.map((source) => day.bySource[source] ?? 0)])}
      />

      <ReportSection
        id="answered-missed"
        title="Answered and missed"
        description={`Missed includes callers who hung up while it rang.${unsettled > 0 ? ` ${count(unsettled)} ${unsettled === 1 ? "call is" : "calls are"} still being settled.` : ""}`}
        figures={[
          { label: "Answered", value: count(totals.answered), note: formatShare(totals.answered, totals.calls) },
          { label: "Missed", value: count(totals.missed), note: formatShare(totals.missed, totals.calls) },
        ]}
        chart={{
          rows: dailyRows(days, (day) => ({ answered: day.answered, missed: day.missed })),
          series: [
            { key: "answered", label: "Answered", color: ANSWERED },
            { key: "missed", label: "Missed", color: MISSED },
          ],
          stacked: true,
          summary: `Bar chart of answered and missed calls per day: ${count(totals.answered)} answered, ${count(totals.missed)} missed.`,
        }}
        table={dailyTable("Answered and missed calls per day", days, ["Answered", "Missed"], (day) => [day.answered, day.missed])}
      />

      <ReportSection
        id="first-time-repeat"
        title="First-time and repeat callers"
        description="A call is first-time when it is the caller's first contact with you, by call or text."
        figures={[
          { label: "First-time", value: count(totals.firstTime), note: formatShare(totals.firstTime, totals.calls) },
          { label: "Repeat", value: count(totals.repeat), note: formatShare(totals.repeat, totals.calls) },
        ]}
        chart={{
          rows: dailyRows(days, (day) => ({ firstTime: day.firstTime, repeat: day.repeat })),
          series: [
            { key: "firstTime", label: "First-time", color: FIRST_TIME },
            { key: "repeat", label: "Repeat", color: REPEAT },
          ],
          stacked: true,
          summary: `Bar chart of first-time and repeat calls per day: ${count(totals.firstTime)} first-time, ${count(totals.repeat)} repeat.`,
        }}
        table={dailyTable("First-time and repeat calls per day", days, ["First-time", "Repeat"], (day) => [day.firstTime, day.repeat])}
      />

      <ReportSection
        id="text-backs"
        title="Text-backs"
        description={`The text sent to a missed caller. Answered when the caller texted or called back within ${TEXT_BACK_ANSWER_WINDOW}.`}
        figures={[
          { label: "Sent", value: count(totals.textBacksSent) },
          { label: "Answered", value: count(totals.textBacksAnswered), note: formatShare(totals.textBacksAnswered, totals.textBacksSent) },
        ]}
        chart={{
          rows: dailyRows(days, (day) => ({ sent: day.textBacksSent, answered: day.textBacksAnswered })),
          series: [
            { key: "sent", label: "Sent", color: REPEAT },
            { key: "answered", label: "Answered", color: ANSWERED },
          ],
          summary: `Bar chart of text-backs sent and answered per day: ${count(totals.textBacksSent)} sent, ${count(totals.textBacksAnswered)} answered.`,
        }}
        table={dailyTable("Text-backs sent and answered per day", days, ["Sent", "Answered"], (day) => [day.textBacksSent, day.textBacksAnswered])}
      />

      <ReportSection
        id="first-reply"
        title="Time to first reply"
        description="For each caller or texter in these dates: from their first call or text to your first text back or answered call."
        figures={[
          { label: "Median", value: firstReply.medianSeconds === null ? "–" : formatWait(firstReply.medianSeconds) },
          { label: "90th percentile", value: firstReply.p90Seconds === null ? "–" : formatWait(firstReply.p90Seconds) },
          { label: "Not replied to yet", value: count(firstReply.buckets.never), note: `of ${count(firstReply.leads)}` },
        ]}
        chart={{
          rows: BUCKETS.map((bucket) => ({ label: bucket.label, leads: firstReply.buckets[bucket.key] })),
          series: [{ key: "leads", label: "Leads", color: FIRST_TIME }],
          summary: `Bar chart of ${count(firstReply.leads)} leads by time to first reply.`,
        }}
        table={{
          caption: "Leads by time to first reply",
          columns: ["Time to first reply", "Leads"],
          rows: BUCKETS.map((bucket) => ({ key: bucket.key, cells: [bucket.label, count(firstReply.buckets[bucket.key])] })),
        }}
      />
    </div>
  );
}
