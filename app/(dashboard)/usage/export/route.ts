// GET /usage/export – the usage page's "Download CSV": every client's usage for one UTC month, for agency staff.
import { getViewer } from "@/lib/auth/get-viewer";
import { isAgencyStaff } from "@/lib/auth/viewer";
import { getDatabase } from "@/lib/db/get-database";
import { exportUsageCsv, usageCsvFileName } from "@/lib/usage/export-usage-csv";
import { parseUsageMonth } from "@/lib/usage/usage-month";

const plain = (status: number, text: string) => new Response(`${text}\n`, { status, headers: { "content-type": "text/plain; charset=utf-8" } });

export async function GET(request: Request): Promise<Response> {
  const viewer = await getViewer();
  if (!viewer) return plain(401, "Sign in to download usage.");
  if (!isAgencyStaff(viewer)) return plain(404, "Not found.");
  const parsed = parseUsageMonth(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.ok) return plain(400, `Cannot export: ${parsed.problem}.`);

  return new Response(await exportUsageCsv(await getDatabase(), viewer, parsed.month), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${usageCsvFileName(parsed.month)}"`,
      "cache-control": "private, no-store",
    },
  });
}
