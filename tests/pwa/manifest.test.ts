// Chrome installs the app only if the manifest's icons really are the PNGs of the sizes it names.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import manifest from "@/app/manifest";

const PUBLIC = path.resolve(import.meta.dirname, "../../public");
const PNG_SIGNATURE = "89504e470d0a1a0a";

function pngSize(file: string): string {
  const bytes = readFileSync(path.join(PUBLIC, file));
  if (bytes.subarray(0, 8).toString("hex") !== PNG_SIGNATURE) return "not a PNG";
  return `${bytes.readUInt32BE(16)}x${bytes.readUInt32BE(20)}`;
}

describe("the web app manifest", () => {
  const { icons = [], start_url, scope, display } = manifest();

  it("opens the inbox as a standalone app", () => {
    expect(display).toBe("standalone");
    expect(start_url).toBe("/inbox");
    expect(start_url!.startsWith(scope!)).toBe(true);
  });

  it("names 192 and 512 icons and a maskable 512, each a PNG of the size it claims", () => {
    expect(icons.map(({ sizes, purpose }) => `${sizes} ${purpose}`).sort()).toEqual(["192x192 any", "512x512 any", "512x512 maskable"]);
    for (const icon of icons) expect(pngSize(icon.src), icon.src).toBe(icon.sizes);
  });

  it("gives iOS a square touch icon", () => {
    expect(pngSize("icons/apple-touch-icon.png")).toBe("180x180");
  });
});
