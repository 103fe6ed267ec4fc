// How the reports say a wait and a share.
import { describe, expect, it } from "vitest";
import { formatShare, formatWait } from "@/lib/reports/format-wait";

describe("report wording", () => {
  it("says a wait in the largest units that matter", () => {
    expect([0, 45, 180, 2400, 32400, 32700, 86400, 122401, 691200].map(formatWait)).toEqual([
      "0 s",
      "45 s",
      "3 min",
      "40 min",
      "9 h",
      "9 h 5 min",
      "1 d",
      "1 d 10 h",
      "8 d",
    ]);
  });

  it("gives a share in whole percent, and a dash when there is no whole", () => {
    expect(formatShare(1, 3)).toBe("33 %");
    expect(formatShare(0, 0)).toBe("–");
  });
});
