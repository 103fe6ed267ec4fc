import { AGENCY_OWNER_EMAIL } from "../../inbox/seeded-demo";
import type { Scenario } from "../../inbox/step-runner";
import { until } from "../../inbox/until";
import { differences, downloadUsageCsv, readUsageTable } from "../read-usage-page";
import type { UsageRun } from "../usage-run";

const MARKUP = 20;

export const usagePage = (run: UsageRun): Scenario => ({
  name: "/usage shows each client's month with a markup, picked by month, and its CSV the same numbers",
  async run({ signIn, note }) {
    const { page } = await signIn(AGENCY_OWNER_EMAIL);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Usage" }).click();
    await page.waitForURL((url) => url.pathname === "/usage");
    await page.getByRole("heading", { name: "Usage", level: 1 }).waitFor();
    const month = page.getByLabel("Month (UTC)");
    if ((await month.inputValue()) !== run.month) throw new Error(`/usage opened on ${await month.inputValue()}, not this month ${run.month}`);

    await page.getByRole("link", { name: "Previous month" }).click();
    await page.waitForURL((url) => url.searchParams.get("month") === run.previousMonth);
    const before = { page: await readUsageTable(page), csv: await downloadUsageCsv(page) };
    run.shown.set(run.previousMonth, before);

    await month.fill(run.month);
    await page.getByRole("button", { name: "Show" }).click();
    await page.waitForURL((url) => url.searchParams.get("month") === run.month);
    const withoutMarkup = (await readUsageTable(page)).find((line) => line.clientId === "acme-plumbing")!;
    await page.getByLabel("Markup for Acme Plumbing, in percent").fill(String(MARKUP));
    await page.getByRole("button", { name: "Save markup for Acme Plumbing" }).click();
    await page.getByText(`Acme Plumbing: markup set to ${MARKUP}%.`).waitFor();
    const table = await until(async () => {
      const lines = await readUsageTable(page);
      const acme = lines.find((line) => line.clientId === "acme-plumbing")!;
      return acme.invoiceCents > withoutMarkup.invoiceCents ? lines : undefined;
    }, "Acme's invoice total to grow by its markup without a reload");
    const csv = await downloadUsageCsv(page);
    run.shown.set(run.month, { page: table, csv });

    const problems = [...differences(`${run.previousMonth} page and CSV`, before.page, before.csv), ...differences(`${run.month} page and CSV`, table, csv)];
    if (problems.length > 0) throw new Error(problems.join("; "));
    const acme = table.find((line) => line.clientId === "acme-plumbing")!;
    if (acme.markupPercent !== MARKUP) throw new Error(`Acme's markup shows ${acme.markupPercent}, not ${MARKUP}`);
    const total = table.at(-1)!;
    note(
      `${run.month}, every client: ${total.inboundMinutes} inbound and ${total.forwardedMinutes} forwarded minutes, SMS ${total.smsSegmentsIn} in / ${total.smsSegmentsOut} out, ` +
        `MMS ${total.mmsIn} / ${total.mmsOut}, ${total.numberDays} number-days, cost ${total.cost} (${total.unpriced} not priced yet), invoices ${total.invoiceCents / 100}`,
    );
    note(`Acme: cost ${acme.cost}, markup ${MARKUP}% → ${acme.invoiceCents / 100}; the CSV says the same for both months`);
  },
});
