// What the reports page and the CSV export accept in the URL.
import { describe, expect, it } from "vitest";
import { parseReportRange } from "@/lib/reports/report-range";

const NOW = new Date("2026-12-01T03:00:00Z");

describe("report range", () => {
  it("defaults to the last 30 UTC days, today included", () => {
    expect(parseReportRange({}, NOW)).toEqual({ ok: true, range: { from: "2026-11-02", to: "2026-12-01", client: null } });
    expect(parseReportRange({ from: "", to: " ", client: "" }, NOW)).toEqual(parseReportRange({}, NOW));
    expect(parseReportRange({ from: ["2025-03-01", "2020-01-01"], to: "2025-03-03" }, NOW)).toMatchObject({ ok: true, range: { from: "2025-03-01" } });
  });

  it("fills the missing end of a half-given range with 30 days, never past today", () => {
    expect(parseReportRange({ to: "2025-03-31" }, NOW)).toMatchObject({ ok: true, range: { from: "2025-03-02", to: "2025-03-31" } });
    expect(parseReportRange({ from: "2025-02-01" }, NOW)).toMatchObject({ ok: true, range: { from: "2025-02-01", to: "2025-03-02" } });
    expect(parseReportRange({ from: "2026-11-25" }, NOW)).toMatchObject({ ok: true, range: { from: "2026-11-25", to: "2026-12-01" } });
  });

  it("accepts up to 366 days and refuses longer, backwards and unreal ranges with the default beside the problem", () => {
    expect(parseReportRange({ from: "2024-01-01", to: "2024-12-31" }, NOW)).toMatchObject({ ok: true });
    const tooLong = parseReportRange({ from: "2024-01-01", to: "2025-01-01", client: "bright-smiles" }, NOW);
    expect(tooLong).toEqual({ ok: false, problem: "a range may cover at most 366 days", range: { from: "2026-11-02", to: "2026-12-01", client: "bright-smiles" } });
    expect(parseReportRange({ from: "2025-03-02", to: "2025-03-01" }, NOW)).toMatchObject({ ok: false, problem: "from must be on or before to" });
    expect(parseReportRange({ from: "2025-02-30" }, NOW)).toMatchObject({ ok: false, problem: "from is not a real date" });
    expect(parseReportRange({ to: "03/01/2025" }, NOW)).toMatchObject({ ok: false, problem: "to must be a date like 2026-11-30" });
    expect(parseReportRange({ client: "'; drop table leads" }, NOW)).toMatchObject({ ok: false, problem: "client is not a client id" });
  });
});
