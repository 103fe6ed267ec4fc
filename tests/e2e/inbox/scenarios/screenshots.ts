import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { DESKTOP, PHONE } from "../browser-session";
import { ACME, ACME_OFFICE_EMAIL } from "../seeded-demo";
import { threadLink } from "../page-checks";
import type { Scenario } from "../step-runner";

const SCREENSHOTS = path.resolve(import.meta.dirname, "../../../../docs/screenshots");

const PAGES: { name: string; path: string; ready: (page: Page) => Promise<void> }[] = [
  { name: "inbox", path: "/inbox", ready: (page) => threadLink(page, ACME.leads.waterHeater.shown).first().waitFor() },
  { name: "thread", path: `/inbox/${ACME.leads.waterHeater.id}`, ready: (page) => page.getByLabel("Reply", { exact: true }).waitFor() },
  { name: "reports", path: "/reports", ready: (page) => page.locator("svg.recharts-surface").first().waitFor() },
];

export const screenshots: Scenario = {
  name: "screenshots of the inbox, a thread and the reports at 375 px and desktop",
  onlyOn: "PostgreSQL",
  async run({ signIn, note }) {
    mkdirSync(SCREENSHOTS, { recursive: true });
    for (const [device, options] of [["mobile", PHONE], ["desktop", DESKTOP]] as const) {
      const { page } = await signIn(ACME_OFFICE_EMAIL, { ...options, reducedMotion: "reduce" });
      for (const shot of PAGES) {
        await page.goto(shot.path);
        await shot.ready(page);
        await page.waitForLoadState("networkidle");
        const file = path.join(SCREENSHOTS, `${shot.name}-${device}.png`);
        // A phone shows one screen at a time; the desktop shot shows the whole page.
        await page.screenshot({ path: file, fullPage: device === "desktop", animations: "disabled" });
        note(path.relative(process.cwd(), file));
      }
    }
  },
};
