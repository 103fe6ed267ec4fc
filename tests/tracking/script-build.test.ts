// public/track.js is committed (sites load it as is), so it must be what the source builds to, and
// stay within the 3 KB gzipped every page pays for.
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { buildTrackScript, TRACK_SCRIPT_PATH } from "@/scripts/build-track-script";

const TRACK_SCRIPT_BUDGET_BYTES = 3 * 1024;

describe("public/track.js", () => {
  it("is a fresh build of lib/tracking/script (run npm run build:track after changing it)", async () => {
    expect(readFileSync(TRACK_SCRIPT_PATH, "utf8")).toBe(await buildTrackScript());
  });

  it("is at most 3 KB gzipped", () => {
    const gzipped = gzipSync(readFileSync(TRACK_SCRIPT_PATH)).length;
    console.log(`public/track.js: ${gzipped} bytes gzipped (budget ${TRACK_SCRIPT_BUDGET_BYTES})`);
    expect(gzipped).toBeLessThanOrEqual(TRACK_SCRIPT_BUDGET_BYTES);
  });
});
