// npm run build:track
// Bundles the tracking script (lib/tracking/script/track.ts) into public/track.js: one minified,
// dependency-free IIFE for the browsers sites' visitors use. public/track.js is committed, and a
// test fails when it differs from a fresh build, so run this after changing the script.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { build } from "esbuild";

const ROOT = path.resolve(import.meta.dirname, "..");
export const TRACK_SCRIPT_PATH = path.join(ROOT, "public/track.js");

export async function buildTrackScript(): Promise<string> {
  const { outputFiles } = await build({
    entryPoints: [path.join(ROOT, "lib/tracking/script/track.ts")],
    bundle: true,
    format: "iife",
    target: "es2019",
    minify: true,
    legalComments: "none",
    banner: { js: "/* Leadline: built from lib/tracking/script by npm run build:track */" },
    write: false,
  });
  return outputFiles[0].text;
}

if (process.argv[1] === import.meta.filename) {
  const script = await buildTrackScript();
  writeFileSync(TRACK_SCRIPT_PATH, script);
  console.log(`public/track.js: ${script.length} bytes`);
}
