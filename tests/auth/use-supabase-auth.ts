// Supabase Auth for a test file: the project's variables set, and its HTTP API answered by the
// stand-in through msw (anything else outbound fails the test). The seeded users (supabase/seed.sql)
// have accounts with PASSWORD.
import { http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, beforeEach, vi } from "vitest";
import { ACME_OFFICE, AGENCY_OWNER, BRIGHT_FRONT_DESK } from "../support/seeded-viewers";
import { supabaseAuthStandIn } from "../support/stand-ins/supabase-auth";
import { sessionCookieName } from "./browser-cookies";

export const SUPABASE = {
  url: "https://stand-in.supabase.test",
  publishableKey: "sb_publishable_stand_in_key",
  secretKey: "sb_secret_stand_in_key",
};
export const PASSWORD = "correct horse battery staple";
export const SESSION_COOKIE = sessionCookieName(SUPABASE.url);

export function useSupabaseAuth() {
  const auth = supabaseAuthStandIn(SUPABASE);
  const server = setupServer(http.all(`${SUPABASE.url}/auth/v1/*`, ({ request }) => auth.handle(request)));
  beforeAll(() => {
    vi.stubEnv("NEXT_PUBLIC_SUPABASE_URL", SUPABASE.url);
    vi.stubEnv("NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY", SUPABASE.publishableKey);
    vi.stubEnv("SUPABASE_SECRET_KEY", SUPABASE.secretKey);
    server.listen({ onUnhandledFrame: "error" });
  });
  beforeEach(() => {
    for (const viewer of [AGENCY_OWNER, ACME_OFFICE, BRIGHT_FRONT_DESK]) auth.addUser({ id: viewer.userId, email: viewer.email!, password: PASSWORD });
  });
  afterEach(() => auth.reset());
  afterAll(() => {
    server.close();
    vi.unstubAllEnvs();
  });
  return auth;
}
