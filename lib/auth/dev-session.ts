import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import type { UserClaims } from "../db/with-user-claims";
import type { ServerEnv } from "../env";
import { authCookieOptions } from "./auth-cookie-options";
import { allowsDevSignIn, signInMethod } from "./sign-in-method";

export const DEV_SESSION_COOKIE = "leadline-dev-session";
const LIFETIME_SECONDS = 7 * 24 * 60 * 60;

type DevSessionEnv = Pick<ServerEnv, "supabase" | "nodeEnv" | "demoMode" | "publicBaseUrl" | "twilio">;
type CookieReader = { get(name: string): { value: string } | undefined };
type CookieWriter = { set(name: string, value: string, options: ReturnType<typeof authCookieOptions> & { maxAge: number }): unknown };

const devSessionSchema = z.object({ sub: z.guid(), email: z.string().nullable(), exp: z.number().int() });

/** Signs the user in for the development sign-in: an HMAC-sealed cookie naming them, for 7 days. */
export function startDevSession(env: DevSessionEnv, cookies: CookieWriter, user: { userId: string; email: string | null }, now = Date.now()): void {
  const payload = Buffer.from(JSON.stringify({ sub: user.userId, email: user.email, exp: Math.floor(now / 1000) + LIFETIME_SECONDS })).toString("base64url");
  const [key] = sessionKeys(env);
  cookies.set(DEV_SESSION_COOKIE, `${payload}.${seal(payload, key)}`, { ...authCookieOptions(env.publicBaseUrl), maxAge: LIFETIME_SECONDS });
}

/**
 * The claims of a development sign-in, or null: no cookie, a cookie whose seal does not match,
 * an expired one, or any cookie at all where the development sign-in is not allowed.
 */
export function readDevSessionClaims(env: DevSessionEnv, cookies: CookieReader, now = Date.now()): UserClaims | null {
  if (!allowsDevSignIn(signInMethod(env))) return null;
  const [payload, signature, ...rest] = cookies.get(DEV_SESSION_COOKIE)?.value.split(".") ?? [];
  if (!payload || !signature || rest.length > 0) return null;
  const given = Buffer.from(signature, "base64url");
  const sealedByUs = sessionKeys(env).some((key) => {
    const expected = Buffer.from(seal(payload, key), "base64url");
    return expected.length === given.length && timingSafeEqual(expected, given);
  });
  if (!sealedByUs) return null;
  const session = devSessionSchema.safeParse(parseJson(Buffer.from(payload, "base64url").toString()));
  if (!session.success || session.data.exp <= now / 1000) return null;
  return { sub: session.data.sub, role: "authenticated", email: session.data.email, exp: session.data.exp };
}

// Derived from the Twilio token every instance already shares (generated into .data in
// development, required in production), so a multi-instance deploy agrees without a new secret;
// during a token rotation the previous token's sessions still open.
function sessionKeys(env: DevSessionEnv): Buffer[] {
  return env.twilio.authTokens.map((token) => createHash("sha256").update(`leadline dev session:${token}`).digest());
}

function seal(payload: string, key: Buffer): string {
  return createHmac("sha256", key).update(payload).digest("base64url");
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
