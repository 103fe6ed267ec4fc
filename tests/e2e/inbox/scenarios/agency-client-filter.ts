import type { Page } from "playwright-core";
import { ACME, AGENCY_OWNER_EMAIL, BRIGHT_SMILES } from "../seeded-demo";
import { choose, threadLink } from "../page-checks";
import type { Scenario } from "../step-runner";
import { until } from "../until";

const NUMBER = /\(\d{3}\) \d{3}-\d{4}/;

/** The numbers of the threads listed, by the client each row names (agency staff see it on every row of all clients). */
async function listedNumbers(page: Page): Promise<string[]> {
  const rows = await page.getByRole("listitem").getByRole("link", { name: NUMBER }).allTextContents();
  return rows.map((row) => NUMBER.exec(row)![0] + (row.includes(ACME.name) ? ` ${ACME.name}` : row.includes(BRIGHT_SMILES.name) ? ` ${BRIGHT_SMILES.name}` : ""));
}

export const agencyClientFilter: Scenario = {
  name: "an agency user filters the inbox by client",
  async run({ signIn, note }) {
    const { page } = await signIn(AGENCY_OWNER_EMAIL);
    await threadLink(page, ACME.leads.waterHeater.shown).first().waitFor();
    await threadLink(page, BRIGHT_SMILES.lead.shown).first().waitFor();
    const everyClient = await listedNumbers(page);
    const numbersOf = (client: string) => everyClient.filter((row) => row.endsWith(client)).map((row) => NUMBER.exec(row)![0]);
    const acme = numbersOf(ACME.name);
    const bright = numbersOf(BRIGHT_SMILES.name);

    await choose(page.getByLabel("Client", { exact: true }), BRIGHT_SMILES.name);
    await until(async () => (await threadLink(page, ACME.leads.waterHeater.shown).count()) === 0, `${ACME.name}'s threads to leave the list once ${BRIGHT_SMILES.name} is chosen`);
    await threadLink(page, BRIGHT_SMILES.lead.shown).first().waitFor();
    const filtered = (await listedNumbers(page)).map((row) => NUMBER.exec(row)![0]);
    const fromAcme = filtered.filter((number) => acme.includes(number));
    if (fromAcme.length > 0) throw new Error(`with ${BRIGHT_SMILES.name} chosen the list still shows ${ACME.name}'s ${fromAcme.join(", ")}`);
    const missing = bright.filter((number) => !filtered.includes(number));
    if (missing.length > 0) throw new Error(`with ${BRIGHT_SMILES.name} chosen its threads ${missing.join(", ")} are gone`);
    const url = new URL(page.url());
    if (url.searchParams.get("client") === null) throw new Error(`the client filter is not in the URL (${url.pathname}${url.search})`);
    note(`all clients: ${acme.length} ${ACME.name} and ${bright.length} ${BRIGHT_SMILES.name} threads; ${url.pathname}?client=${url.searchParams.get("client")} lists only the ${filtered.length} of ${BRIGHT_SMILES.name}`);
  },
};
