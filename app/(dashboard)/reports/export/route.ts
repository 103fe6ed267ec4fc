// GET /reports/export – the reports page's "Download CSV": the signed-in viewer's leads in the range.
import { getViewer } from "@/lib/auth/get-viewer";
import { getDatabase } from "@/lib/db/get-database";
import { exportLeadsCsv, leadsCsvFileName } from "@/lib/reports/export-leads-csv";
import { parseReportRange } from "@/lib/reports/report-range";

export async function GET(request: Request): Promise<Response> {
  const viewer = await getViewer();
  if (!viewer) return new Response("Sign in to download leads.\n", { status: 401, headers: { "content-type": "text/plain; charset=utf-8" } });
  const parsed = parseReportRange(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.ok) return new Response(`Cannot export: ${parsed.problem}.\n`, { status: 400, headers: { "content-type": "text/plain; charset=utf-8" } });

  const lines = exportLeadsCsv(await getDatabase(), viewer, parsed.range);
  const encoder = new TextEncoder();
  // Pulled a page of leads at a time, as the browser reads; a download stopped midway stops the reading.
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await lines.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await lines.return(undefined);
    },
  });
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${leadsCsvFileName(parsed.range)}"`,
      "cache-control": "private, no-store",
    },
  });
}
