import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const tokensByDir = new Map<string, string>();

export function devAuthTokenPath(dataDir: string): string {
  return path.join(dataDir, "twilio-auth-token");
}

// With no TWILIO_AUTH_TOKEN in development, the server and `npm run simulate` share one
// generated token, so signature checks stay on without a Twilio account.
export function readOrCreateDevAuthToken(dataDir: string): string {
  const known = tokensByDir.get(dataDir);
  if (known) return known;
  const file = devAuthTokenPath(dataDir);
  let token: string;
  try {
    token = readFileSync(file, "utf8").trim();
  } catch {
    mkdirSync(dataDir, { recursive: true });
    token = randomBytes(16).toString("hex");
    try {
      writeFileSync(file, `${token}\n`, { flag: "wx", mode: 0o600 });
    } catch {
      token = readFileSync(file, "utf8").trim();
    }
  }
  tokensByDir.set(dataDir, token);
  return token;
}
