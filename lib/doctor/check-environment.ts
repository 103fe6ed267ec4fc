import { signInMethod } from "../auth/sign-in-method";
import { EnvError, parseServerEnv, type ServerEnv } from "../env";
import { note, ok, problem, type Finding } from "./finding";

const CHECK = "environment";

/**
 * The deployment's variables, read as its production server reads them (lib/env.ts), and what
 * production needs beyond that: https, the cron secret, a Twilio account to send texts from, and a
 * way to sign in. Returns the parsed environment when it parses, for the checks that follow.
 */
export function checkEnvironment(variables: Record<string, string | undefined>): { findings: Finding[]; env?: ServerEnv } {
  let env: ServerEnv;
  try {
    env = parseServerEnv({ ...variables, NODE_ENV: "production" });
  } catch (error) {
    if (!(error instanceof EnvError)) throw error;
    return { findings: error.problems.map((line) => problem(CHECK, `${line}. The server will not start until it is fixed (.env.example describes each variable).`)) };
  }
  const findings: Finding[] = [];
  if (!env.publicBaseUrl.startsWith("https://")) {
    findings.push(problem(CHECK, `PUBLIC_BASE_URL is ${env.publicBaseUrl}: it must be the https origin Twilio calls and people open, e.g. https://leads.example.com.`));
  }
  if (!env.cronSecret) {
    findings.push(problem(CHECK, "CRON_SECRET is not set, so every /api/cron/* route answers 503 and no scheduled job runs. Set it to a long random string (openssl rand -hex 32), here and in your scheduler."));
  }
  if (!env.twilio.accountSid) {
    findings.push(problem(CHECK, "TWILIO_ACCOUNT_SID is not set: text-backs are only recorded as simulated and reconciliation is off. Copy it from the Twilio console."));
  }
  const signIn = signInMethod(env);
  if (signIn === "unconfigured") {
    findings.push(problem(CHECK, "Nobody can sign in: set NEXT_PUBLIC_SUPABASE_URL and NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY from your Supabase project's API settings."));
  }
  if (signIn === "demo") {
    findings.push(problem(CHECK, "DEMO_MODE=true with no Supabase project: anyone can sign in as anyone. Set the Supabase variables and remove DEMO_MODE, unless this is a demo."));
  }
  if (findings.length === 0) findings.push(ok(CHECK, "every variable is set and well formed for production"));
  if (!env.databaseUrl) {
    findings.push(note(CHECK, `no DATABASE_URL: the server runs on the embedded database in ${env.dataDir}, which doctor cannot look inside from here and serverless hosts cannot run.`));
  }
  if (!env.airtable) findings.push(note(CHECK, "Airtable is not configured: numbers route from the Postgres snapshot alone, and no Lead Pipeline is kept."));
  return { findings, env };
}
