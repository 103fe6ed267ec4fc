import { ACME_OFFICE_EMAIL } from "../../inbox/seeded-demo";
import type { Scenario } from "../../inbox/step-runner";
import type { UsageRun } from "../usage-run";

export const clientRefused = (run: UsageRun): Scenario => ({
  name: "a client user has no Usage link, and /usage and its CSV are not found",
  async run({ signIn, note }) {
    const { page, context } = await signIn(ACME_OFFICE_EMAIL);
    const links = await page.getByRole("navigation", { name: "Main" }).getByRole("link").allTextContents();
    if (links.some((text) => text.includes("Usage"))) throw new Error(`a client user's menu offers ${links.join(", ")}`);

    const opened = await page.goto(`/usage?month=${run.month}`);
    if (opened?.status() !== 404) throw new Error(`${ACME_OFFICE_EMAIL} opening /usage gets HTTP ${opened?.status()}, not 404`);
    await page.getByText("This page could not be found.").waitFor();
    if ((await page.locator("#usage-table").count()) > 0) throw new Error("the not-found page shows the usage table");

    const csv = await context.request.get(`/usage/export?month=${run.month}`);
    const body = await csv.text();
    if (csv.status() !== 404 || body.includes(",")) throw new Error(`${ACME_OFFICE_EMAIL} downloading the CSV gets ${csv.status()}: ${body.slice(0, 200)}`);
    note(`as ${ACME_OFFICE_EMAIL}: menu ${links.join(", ")}; /usage 404; /usage/export 404`);
  },
});
