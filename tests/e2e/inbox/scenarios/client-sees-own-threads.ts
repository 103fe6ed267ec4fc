import { ACME, ACME_OFFICE_EMAIL, BRIGHT_SMILES } from "../seeded-demo";
import { assertRevealsNone, threadLink } from "../page-checks";
import type { Scenario } from "../step-runner";

export const clientSeesOwnThreads: Scenario = {
  name: "a client user signs in and sees only their client's threads",
  async run({ signIn, note }) {
    const { page } = await signIn(ACME_OFFICE_EMAIL);
    for (const lead of Object.values(ACME.leads)) {
      const row = threadLink(page, lead.shown);
      await row.first().waitFor();
      const href = await row.first().getAttribute("href");
      if (!href?.startsWith(`/inbox/${lead.id}`)) throw new Error(`the thread of ${lead.shown} links to ${href}, not /inbox/${lead.id}`);
    }
    const { lead } = BRIGHT_SMILES;
    if ((await threadLink(page, lead.shown).count()) > 0) throw new Error(`${BRIGHT_SMILES.name}'s lead ${lead.shown} is listed for ${ACME.name}`);
    await assertRevealsNone(page, "/inbox", [lead.shown, lead.caller, lead.id, BRIGHT_SMILES.name, lead.text], `${ACME.name}'s inbox`);
    note(`${ACME_OFFICE_EMAIL} sees ${Object.values(ACME.leads).map((l) => l.shown).join(" and ")}, not ${lead.shown}`);
  },
};
