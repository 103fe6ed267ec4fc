import { z } from "zod";
import { note, ok, problem, type Finding } from "./finding";

const CHECK = "deployment";
const TIMEOUT_MS = 10_000;

const healthSchema = z.object({
  ok: z.boolean(),
  database: z.object({ status: z.enum(["ok", "down"]), kind: z.enum(["embedded", "server"]) }),
  outbox: z.object({ pending: z.number(), dead: z.number(), oldestPendingSeconds: z.number().nullable() }),
  airtable: z.object({ ok: z.boolean(), planLimitedUntil: z.string().nullable() }),
});

/** The deployment seen from outside, as Twilio and uptime monitors see it: PUBLIC_BASE_URL/api/health. */
export async function checkDeployment(publicBaseUrl: string, expectsServerDatabase: boolean): Promise<Finding[]> {
  const url = `${publicBaseUrl}/api/health`;
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS), redirect: "manual" });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return [problem(CHECK, `Nothing answers at ${url} (${cause?.code ?? cause?.message ?? (error as Error).message}). Deploy it, or fix PUBLIC_BASE_URL: Twilio calls this address.`)];
  }
  const health = healthSchema.safeParse(await response.json().catch(() => undefined));
  if (!health.success) {
    return [problem(CHECK, `${url} answered ${response.status}, but not as Leadline does. Is PUBLIC_BASE_URL this deployment's address, with nothing redirecting it?`)];
  }
  const { database, outbox, airtable } = health.data;
  const findings: Finding[] = [];
  if (database.status === "down") findings.push(problem(CHECK, `${url} says the deployment cannot reach its database. Check DATABASE_URL in the deployment's own settings.`));
  else if (expectsServerDatabase && database.kind === "embedded") {
    findings.push(problem(CHECK, `${url} runs on the embedded database, but DATABASE_URL is set here: set the same DATABASE_URL in the deployment.`));
  }
  if (database.status === "ok" && !health.data.ok) {
    findings.push(problem(CHECK, `${url} answered ${response.status}: leads have waited ${outbox.oldestPendingSeconds} s for the Lead Pipeline. Is /api/cron/outbox scheduled, or a worker running?`));
  }
  if (airtable.planLimitedUntil) findings.push(problem(CHECK, `Airtable refuses calls until ${airtable.planLimitedUntil}: the workspace used its plan's monthly API calls (npm run airtable:budget).`));
  if (findings.length === 0) findings.push(ok(CHECK, `${url} answers ${response.status}: database ok (${database.kind === "server" ? "PostgreSQL" : "embedded"}), ${outbox.pending} pipeline jobs pending`));
  if (outbox.dead > 0) findings.push(note(CHECK, `${outbox.dead} pipeline jobs are dead: npm run outbox -- dead lists them, npm run outbox -- retry tries them again.`));
  return findings;
}
