import { z } from "zod";
import { readOrCreateDevAuthToken } from "./twilio/dev-auth-token";

const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === "" ? undefined : value))
  .optional();

const optionalUrl = (example: string) =>
  optionalText.pipe(z.url({ message: `must be a URL such as ${example}` }).optional());

const optionalMatching = (pattern: RegExp, example: string) =>
  optionalText.pipe(z.string().regex(pattern, `must look like ${example}`).optional());

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PUBLIC_BASE_URL: optionalUrl("https://leads.example.com").transform((url) => url?.replace(/\/+$/, "")),
  LEADLINE_DATA_DIR: optionalText,
  TWILIO_ACCOUNT_SID: optionalMatching(/^AC[0-9a-fA-F]{32}$/, "AC followed by 32 hex characters"),
  TWILIO_AUTH_TOKEN: optionalText,
  TWILIO_AUTH_TOKEN_PREVIOUS: optionalText,
  TWILIO_API_URL: optionalUrl("https://api.twilio.com"),
  TWILIO_MESSAGING_SERVICE_SID: optionalMatching(/^MG[0-9a-fA-F]{32}$/, "MG followed by 32 hex characters"),
  AIRTABLE_TOKEN: optionalText,
  AIRTABLE_BASE_ID: optionalMatching(/^app[A-Za-z0-9]{14}$/, "app followed by 14 letters and digits"),
  AIRTABLE_CONFIG_TABLE: optionalText.transform((name) => name ?? "Client Configuration"),
  AIRTABLE_LEADS_TABLE: optionalText.transform((name) => name ?? "Lead Pipeline"),
  AIRTABLE_API_URL: optionalUrl("https://api.airtable.com"),
  DATABASE_URL: optionalMatching(/^postgres(ql)?:\/\//, "postgresql://user:password@host:5432/database"),
  NEXT_PUBLIC_SUPABASE_URL: optionalUrl("https://abcdefgh.supabase.co"),
  NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY: optionalText,
  SUPABASE_SECRET_KEY: optionalText,
  NEXT_PUBLIC_VAPID_PUBLIC_KEY: optionalText,
  VAPID_PRIVATE_KEY: optionalText,
  VAPID_SUBJECT: optionalText.pipe(
    z.string().regex(/^(mailto:|https:\/\/)/, "must be a mailto: address or an https URL, e.g. mailto:ops@agency.example").optional(),
  ),
  CRON_SECRET: optionalText,
  DEMO_MODE: optionalText.pipe(z.enum(["true", "false"], { message: "must be true or false" }).optional()),
});

export type ServerEnv = {
  nodeEnv: "development" | "production" | "test";
  publicBaseUrl: string;
  dataDir: string;
  databaseUrl?: string;
  twilio: {
    accountSid?: string;
    authTokens: string[];
    apiUrl?: string;
    messagingServiceSid?: string;
  };
  airtable?: {
    token: string;
    baseId: string;
    configTable: string;
    leadsTable: string;
    apiUrl?: string;
  };
  /** Supabase Auth; without it the inbox offers the development sign-in (never in production unless demoMode). */
  supabase?: { url: string; publishableKey: string; secretKey?: string };
  webPush?: { publicKey: string; privateKey: string; subject: string };
  cronSecret?: string;
  demoMode: boolean;
};

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Leadline cannot start; fix these environment variables:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "EnvError";
  }
}

export function parseServerEnv(source: Record<string, string | undefined>): ServerEnv {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    throw new EnvError(parsed.error.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`));
  }
  const env = parsed.data;
  const production = env.NODE_ENV === "production";
  const problems: string[] = [];
  if (production && !env.PUBLIC_BASE_URL) {
    problems.push("PUBLIC_BASE_URL is required in production: the https origin Twilio calls, e.g. https://leads.example.com");
  }
  if (production && !env.TWILIO_AUTH_TOKEN) {
    problems.push("TWILIO_AUTH_TOKEN is required in production: Twilio signs every webhook with it");
  }
  if (production && !env.DATABASE_URL && !env.LEADLINE_DATA_DIR) {
    problems.push(
      "DATABASE_URL is required in production: set it to your Postgres or Supabase connection string. The embedded database needs a writable LEADLINE_DATA_DIR, which serverless platforms do not have; set LEADLINE_DATA_DIR only on a server with a disk of its own",
    );
  }
  if (Boolean(env.AIRTABLE_TOKEN) !== Boolean(env.AIRTABLE_BASE_ID)) {
    problems.push("AIRTABLE_TOKEN and AIRTABLE_BASE_ID go together: set both, or neither to run without Airtable");
  }
  if (Boolean(env.NEXT_PUBLIC_SUPABASE_URL) !== Boolean(env.NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY)) {
    problems.push(
      "NEXT_PUBLIC_SUPABASE_URL and NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY go together: set both (from your Supabase project's API settings), or neither for the development sign-in",
    );
  }
  const webPushKeys = [env.NEXT_PUBLIC_VAPID_PUBLIC_KEY, env.VAPID_PRIVATE_KEY, env.VAPID_SUBJECT];
  if (webPushKeys.some(Boolean) && !webPushKeys.every(Boolean)) {
    problems.push(
      "NEXT_PUBLIC_VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY and VAPID_SUBJECT go together: make the keys with `npx web-push generate-vapid-keys`, or set none to turn push off",
    );
  }
  if (problems.length > 0) throw new EnvError(problems);

  const dataDir = env.LEADLINE_DATA_DIR ?? ".data";
  const primaryToken = env.TWILIO_AUTH_TOKEN ?? readOrCreateDevAuthToken(dataDir);
  return {
    nodeEnv: env.NODE_ENV,
    publicBaseUrl: env.PUBLIC_BASE_URL ?? "http://localhost:3000",
    dataDir,
    databaseUrl: env.DATABASE_URL,
    twilio: {
      accountSid: env.TWILIO_ACCOUNT_SID,
      authTokens: [primaryToken, env.TWILIO_AUTH_TOKEN_PREVIOUS].filter((t): t is string => Boolean(t)),
      apiUrl: env.TWILIO_API_URL,
      messagingServiceSid: env.TWILIO_MESSAGING_SERVICE_SID,
    },
    airtable:
      env.AIRTABLE_TOKEN && env.AIRTABLE_BASE_ID
        ? {
            token: env.AIRTABLE_TOKEN,
            baseId: env.AIRTABLE_BASE_ID,
            configTable: env.AIRTABLE_CONFIG_TABLE,
            leadsTable: env.AIRTABLE_LEADS_TABLE,
            apiUrl: env.AIRTABLE_API_URL,
          }
        : undefined,
    supabase:
      env.NEXT_PUBLIC_SUPABASE_URL && env.NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY
        ? { url: env.NEXT_PUBLIC_SUPABASE_URL, publishableKey: env.NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY, secretKey: env.SUPABASE_SECRET_KEY }
        : undefined,
    webPush:
      env.NEXT_PUBLIC_VAPID_PUBLIC_KEY && env.VAPID_PRIVATE_KEY && env.VAPID_SUBJECT
        ? { publicKey: env.NEXT_PUBLIC_VAPID_PUBLIC_KEY, privateKey: env.VAPID_PRIVATE_KEY, subject: env.VAPID_SUBJECT }
        : undefined,
    cronSecret: env.CRON_SECRET,
    demoMode: env.DEMO_MODE === "true",
  };
}

const ENV_KEYS = Object.keys(envSchema.shape) as (keyof typeof envSchema.shape)[];
let parsed: { fingerprint: string; env: ServerEnv } | undefined;

// Read when asked, not at import, so `next build` needs no secrets; parsed again only when a
// variable changed (tests change them), since every webhook asks.
export function serverEnv(): ServerEnv {
  const fingerprint = ENV_KEYS.map((key) => process.env[key] ?? "\u0000").join("\u0001");
  if (parsed?.fingerprint !== fingerprint) parsed = { fingerprint, env: parseServerEnv(process.env) };
  return parsed.env;
}
