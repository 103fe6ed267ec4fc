import type { Database } from "../db/database";
import { listMigrations } from "../db/migrate-database";
import { openPostgresDatabase } from "../db/open-postgres-database";
import { ok, problem, type Finding } from "./finding";

const CHECK = "database";
// Long enough for a database across the world; a fault proxy or a dead host trips it.
const DEADLINE_MS = 10_000;
const MIGRATE = "Run npm run db:migrate with this DATABASE_URL (or supabase db push).";

/**
 * The database in DATABASE_URL: reachable, and every migration in supabase/migrations applied,
 * as recorded in supabase_migrations.schema_migrations. Returns the open database when it answered,
 * for the checks that read it; the caller closes it.
 */
export async function checkDatabase(databaseUrl: string): Promise<{ findings: Finding[]; db?: Database }> {
  const where = describeTarget(databaseUrl);
  const db = openPostgresDatabase(databaseUrl, { deadlineMs: DEADLINE_MS, max: 1 });
  let applied: Set<string>;
  try {
    applied = new Set((await db.query<{ version: string }>("select version from supabase_migrations.schema_migrations")).map((row) => row.version));
  } catch (error) {
    if (codeOf(error) === "42P01" || codeOf(error) === "3F000") return { findings: [problem(CHECK, `${where} answers, but no migration has been applied. ${MIGRATE}`)], db };
    await db.close();
    return { findings: [problem(CHECK, describeConnectionProblem(error, where))] };
  }
  const migrations = await listMigrations();
  const missing = migrations.filter((migration) => !applied.has(migration.version));
  const known = new Set(migrations.map((migration) => migration.version));
  const unknown = [...applied].filter((version) => !known.has(version)).sort();
  const findings: Finding[] = [];
  if (missing.length > 0) {
    findings.push(problem(CHECK, `${where} lacks ${missing.length === 1 ? "a migration" : `${missing.length} migrations`}: ${missing.map((migration) => migration.file).join(", ")}. ${MIGRATE}`));
  }
  if (unknown.length > 0) {
    findings.push(problem(CHECK, `${where} has migrations this checkout does not know (${unknown.join(", ")}): run doctor from the version you deployed.`));
  }
  if (findings.length === 0) findings.push(ok(CHECK, `${where} answers, and all ${migrations.length} migrations are applied (the last ${migrations.at(-1)!.file})`));
  return { findings, db };
}

const codeOf = (error: unknown): string | undefined => {
  const own = (error as { code?: unknown }).code;
  const cause = (error as { cause?: { code?: unknown } }).cause?.code;
  return typeof own === "string" ? own : typeof cause === "string" ? cause : undefined;
};

function describeConnectionProblem(error: unknown, where: string): string {
  const code = codeOf(error);
  const check = "Check DATABASE_URL (on Supabase: Project Settings, Database, the pooled connection string).";
  if (code === "28P01" || code === "28000") return `${where} refused the user or password in DATABASE_URL. ${check}`;
  if (code === "3D000") return `${where} has no such database. ${check}`;
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return `The host in DATABASE_URL (${where}) is not known to DNS. ${check}`;
  if (code === "ECONNREFUSED") return `Nothing accepts connections at ${where}. ${check}`;
  const message = (error as Error).message ?? String(error);
  return `Cannot reach the database at ${where} (${message.replace(/^database unavailable: /, "")}). ${check}`;
}

/** host:port/database, never the user or password. */
function describeTarget(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    return `${url.hostname}:${url.port || "5432"}${url.pathname}`;
  } catch {
    return "the database";
  }
}
