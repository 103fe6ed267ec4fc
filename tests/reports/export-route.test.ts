// GET /reports/export as the reports page's "Download CSV" link calls it: signed out is a 401 with
// no rows, a bad range a 400, and signed in an attachment named after the range holding only the
// viewer's own client's leads, whatever client the URL names.
import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { GET } from "@/app/(dashboard)/reports/export/route";
import type { Viewer } from "@/lib/auth/viewer";
import { getDatabase } from "@/lib/db/get-database";
import { seedDatabase } from "@/lib/db/seed-database";
import { LEADS_CSV_HEADER } from "@/lib/reports/export-leads-csv";
import { ACME_OFFICE } from "../support/seeded-viewers";
import { parseCsv } from "./parse-csv";
import { writeHistory } from "./report-history";

const signedIn = vi.hoisted(() => ({ viewer: null as Viewer | null }));
vi.mock("@/lib/auth/get-viewer", () => ({ getViewer: async () => signedIn.viewer }));

let leadIds: Map<string, string>;

beforeAll(async () => {
  const db = await getDatabase();
  await seedDatabase(db, { onlyIfEmpty: true });
  leadIds = await writeHistory(db);
});
beforeEach(() => {
  signedIn.viewer = null;
});

const get = (query: string) => GET(new Request(`http://localhost/reports/export${query}`));

describe("GET /reports/export", () => {
  it("is a 401 with no rows for someone signed out", async () => {
    const response = await get("?from=2025-03-01&to=2025-03-03");
    expect(response.status).toBe(401);
    expect(await response.text()).not.toContain(",");
  });

  it("is a 400 that says why for a range it cannot use", async () => {
    signedIn.viewer = ACME_OFFICE;
    const response = await get("?from=2025-03-05&to=2025-03-01");
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("from must be on or before to");
  });

  it("downloads the signed-in client's leads of the range as a CSV file named after it", async () => {
    signedIn.viewer = ACME_OFFICE;
    const response = await get("?from=2025-03-01&to=2025-03-03&client=bright-smiles");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toBe('attachment; filename="leads-2025-03-01-2025-03-03.csv"');
    expect(response.headers.get("cache-control")).toBe("private, no-store");
    const [header, ...rows] = parseCsv((await response.text()).replace(/^\uFEFF/, ""));
    expect(header).toEqual([...LEADS_CSV_HEADER]);
    expect(rows).toHaveLength(8);
    expect(new Set(rows.map((row) => row[LEADS_CSV_HEADER.indexOf("Client ID")]))).toEqual(new Set(["acme-plumbing"]));
    expect(rows.map((row) => row[0])).not.toContain(leadIds.get("Z"));
  });
});
