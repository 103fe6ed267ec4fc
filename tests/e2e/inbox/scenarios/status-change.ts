import { ACME, ACME_OFFICE_EMAIL } from "../seeded-demo";
import { choose, chosen } from "../page-checks";
import type { Scenario } from "../step-runner";
import { until } from "../until";

export const statusChange: Scenario = {
  name: "a status change sticks after a reload and is queued for the pipeline",
  async run({ app, signIn, note }) {
    const lead = ACME.leads.website;
    const { page } = await signIn(ACME_OFFICE_EMAIL);
    await page.goto(`/inbox/${lead.id}`);
    const status = page.getByLabel("Status", { exact: true });
    if ((await chosen(status)) === "Qualified") throw new Error(`the lead ${lead.shown} is already Qualified before the change`);
    const queue = app.pipelineQueue;
    const pendingBefore = queue.kind === "pending total" ? await queue.pending() : 0;

    await choose(status, "Qualified");
    if (queue.kind === "per lead") {
      await until(async () => (await queue.statusJobs(lead.id, "Qualified")) > 0, `a lead.sync job for ${lead.id} becoming Qualified in internal.outbox`);
      const jobs = await queue.statusJobs(lead.id, "Qualified");
      if (jobs !== 1) throw new Error(`the change queued ${jobs} lead.sync jobs, not 1`);
      note(`internal.outbox holds 1 lead.sync job "status:${lead.id}:Qualified:…"`);
    } else {
      await until(async () => (await queue.pending()) > pendingBefore, "the pending outbox count in GET /api/health to grow");
      note(`GET /api/health: pending outbox jobs ${pendingBefore} -> ${await queue.pending()} (the embedded database is open in the server process only, so the job itself is not read)`);
    }

    await page.reload();
    const after = await chosen(page.getByLabel("Status", { exact: true }));
    if (after !== "Qualified") throw new Error(`after a reload the Status shows "${after}", not "Qualified"`);
  },
};
