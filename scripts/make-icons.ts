// npx tsx scripts/make-icons.ts
// Draws Leadline's app icons (lucide's incoming-call glyph on the brand colour) as SVG and
// rasterises them in the system Chromium, so the PNGs under public/icons/ can be remade exactly.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { PhoneIncoming } from "lucide-react";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { launchSystemChromium } from "../tests/support/chromium";

const BRAND = "#4338ca";
const OUT_DIR = path.resolve(import.meta.dirname, "../public/icons");

type IconSpec = {
  file: string;
  size: number;
  /** Corner radius as a share of the size; 0 fills the square, as maskable and Apple icons must. */
  cornerRadius: number;
  /** The glyph's width as a share of the size; a maskable icon keeps it inside the 80% safe circle. */
  glyphScale: number;
};

const PNG_ICONS: IconSpec[] = [
  { file: "icon-192.png", size: 192, cornerRadius: 0.22, glyphScale: 0.56 },
  { file: "icon-512.png", size: 512, cornerRadius: 0.22, glyphScale: 0.56 },
  { file: "maskable-512.png", size: 512, cornerRadius: 0, glyphScale: 0.42 },
  { file: "apple-touch-icon.png", size: 180, cornerRadius: 0, glyphScale: 0.5 },
  { file: "favicon-32.png", size: 32, cornerRadius: 0.22, glyphScale: 0.66 },
];

function iconSvg({ size, cornerRadius, glyphScale }: Omit<IconSpec, "file">): string {
  const glyphSize = Math.round(size * glyphScale);
  const offset = (size - glyphSize) / 2;
  const glyph = renderToStaticMarkup(createElement(PhoneIncoming, { size: glyphSize, color: "#ffffff", strokeWidth: 2 }));
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}">`,
    `<rect width="${size}" height="${size}" rx="${size * cornerRadius}" fill="${BRAND}"/>`,
    `<g transform="translate(${offset} ${offset})">${glyph}</g>`,
    `</svg>`,
  ].join("");
}

async function main(): Promise<void> {
  mkdirSync(OUT_DIR, { recursive: true });
  writeFileSync(path.join(OUT_DIR, "icon.svg"), iconSvg({ size: 64, cornerRadius: 0.22, glyphScale: 0.62 }) + "\n");

  const browser = await launchSystemChromium();
  try {
    for (const icon of PNG_ICONS) {
      const page = await browser.newPage({ viewport: { width: icon.size, height: icon.size }, deviceScaleFactor: 1 });
      await page.setContent(`<!doctype html><html><body style="margin:0">${iconSvg(icon)}</body></html>`);
      await page.screenshot({ path: path.join(OUT_DIR, icon.file), omitBackground: true });
      await page.close();
      console.log(`public/icons/${icon.file} (${icon.size}×${icon.size})`);
    }
  } finally {
    await browser.close();
  }
}

await main();
