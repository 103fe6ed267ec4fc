// The Supabase path, offline: Supabase Auth's HTTP API is the stand-in (tests/support/stand-ins/
// supabase-auth.ts), signing ES256 tokens and serving its JWKS; the real @supabase/ssr and
// supabase-js run against it, through the app's own server actions, confirm route and proxy, with
// one browser's cookies behind next/headers.
import { NextRequest } from "next/server";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { signOut } from "@/app/auth/actions";
import { GET as confirm } from "@/app/auth/confirm/route";
import { signInWithEmail } from "@/app/login/actions";
import { getViewer, requireViewer } from "@/lib/auth/get-viewer";
import { withUserClaims } from "@/lib/db/with-user-claims";
import { proxy } from "@/proxy";
import { ACME_OFFICE, AGENCY_OWNER } from "../support/seeded-viewers";
import { createSigningKey, signJwt } from "../support/stand-ins/supabase-auth";
import { browser, storedSession, storeSession } from "./browser-cookies";
import { formData } from "./form-data";
import { redirectOf } from "./redirect-of";
import { useSeededDatabase } from "./use-seeded-database";
import { PASSWORD, SESSION_COOKIE, SUPABASE, useSupabaseAuth } from "./use-supabase-auth";

vi.mock("next/headers", async () => ({ cookies: async () => (await import("./browser-cookies")).browser }));

const auth = useSupabaseAuth();
const APP = "https://leads.example.test";
const ACME_EMAIL = ACME_OFFICE.email!;
const seeded = useSeededDatabase();
beforeEach(() => browser.clear());

const signInWithPassword = (email: string, password: string, next?: string) =>
  signInWithEmail({}, formData({ intent: "password", email, password, ...(next ? { next } : {}) }));

/** Opens a link from an email in this browser: the confirm route, as Next would call it. */
const openLink = (url: string) => redirectOf(() => confirm(new NextRequest(url)));

const nowSeconds = () => Math.floor(Date.now() / 1000);

describe("signing in with email and password", () => {
  it("sets an httpOnly session cookie, goes where the visitor was headed, and getViewer() is that user, verified by the JWKS", async () => {
    expect(await redirectOf(() => signInWithPassword(ACME_EMAIL, PASSWORD, "/inbox/lead-1?tab=notes"))).toBe("/inbox/lead-1?tab=notes");

    const cookie = browser.stored.get(SESSION_COOKIE) ?? browser.stored.get(`${SESSION_COOKIE}.0`);
    expect(cookie?.options).toMatchObject({ httpOnly: true, secure: true, sameSite: "lax", path: "/" });
    const viewer = await getViewer();
    expect(viewer).toMatchObject({ userId: ACME_OFFICE.userId, email: ACME_EMAIL, role: "client", clientId: "acme-plumbing" });
    expect(viewer!.claims).toMatchObject({ sub: ACME_OFFICE.userId, role: "authenticated", aud: "authenticated" });
    expect(viewer!.claims.exp).toBeGreaterThan(nowSeconds());
    // Verified locally against the signing keys, not by asking Auth about the token each time.
    expect(auth.requests.map((request) => request.path)).not.toContain("/user");
  });

  it("says plainly that the password is wrong, keeps the email typed, and signs no one in", async () => {
    const state = await signInWithPassword(ACME_EMAIL, "wrong password");
    expect(state).toEqual({ email: ACME_EMAIL, error: expect.stringContaining("email and password don't match") });
    expect(browser.getAll()).toEqual([]);
    expect(await getViewer()).toBeNull();
  });

  it("refuses a malformed address before asking Supabase", async () => {
    const state = await signInWithPassword("office@", PASSWORD);
    expect(state.error).toMatch(/Enter your email address/);
    expect(auth.requests).toEqual([]);
  });

  it.each(["//evil.example/inbox", "/.//evil.example", "/a/..//evil.example", "/%2e//evil.example", "/./\t/evil.example"])(
    "never sends the visitor to another site afterwards, for ?next=%j",
    async (next) => {
      expect(await redirectOf(() => signInWithPassword(ACME_EMAIL, PASSWORD, next))).toBe("/inbox");
    },
  );
});

describe("signing in with a magic link", () => {
  it("emails a link that signs in at /auth/confirm with its token_hash, even in another browser, and only once", async () => {
    const state = await signInWithEmail({}, formData({ intent: "link", email: ACME_EMAIL }));
    expect(state.sent).toContain(`If ${ACME_EMAIL} has access`);
    expect(auth.requests.find((request) => request.path === "/otp")?.body).toMatchObject({ email: ACME_EMAIL, create_user: false });
    const [email] = auth.emails;
    expect(email).toMatchObject({ to: ACME_EMAIL, type: "magiclink", redirectTo: `${APP}/auth/confirm` });

    browser.clear();
    const link = `${APP}/auth/confirm?token_hash=${email.tokenHash}&type=email`;
    expect(await openLink(link)).toBe("/inbox");
    expect(await getViewer()).toMatchObject({ userId: ACME_OFFICE.userId, clientId: "acme-plumbing" });

    browser.clear();
    expect(await openLink(link)).toBe("/login?error=link");
    expect(await getViewer()).toBeNull();
  });

  it("never sends the visitor to another site from a link whose ?next= was tampered with", async () => {
    await signInWithEmail({}, formData({ intent: "link", email: ACME_EMAIL }));
    const [email] = auth.emails;
    const link = `${APP}/auth/confirm?token_hash=${email.tokenHash}&type=email&next=${encodeURIComponent("/a/..//evil.example")}`;
    expect(await openLink(link)).toBe("/inbox");
    expect(await getViewer()).toMatchObject({ userId: ACME_OFFICE.userId });
  });

  it("also signs in through Supabase's default email link, whose PKCE code comes back to this browser", async () => {
    await signInWithEmail({}, formData({ intent: "link", email: ACME_EMAIL, next: "/reports" }));
    const [email] = auth.emails;
    expect(email.redirectTo).toBe(`${APP}/auth/confirm?next=%2Freports`);

    const verified = await auth.handle(new Request(email.confirmationUrl));
    const landing = verified.headers.get("location")!;
    expect(landing).toMatch(new RegExp(`^${APP}/auth/confirm\\?next=%2Freports&code=`));
    expect(await openLink(landing)).toBe("/reports");
    expect(await getViewer()).toMatchObject({ userId: ACME_OFFICE.userId });
  });

  it("answers an address without an account exactly as one with, and makes no account", async () => {
    const state = await signInWithEmail({}, formData({ intent: "link", email: "nobody@example.test" }));
    expect(state.sent).toContain("If nobody@example.test has access");
    expect(auth.emails).toEqual([]);
    expect([...auth.users.values()].map((user) => user.email)).not.toContain("nobody@example.test");
  });
});

describe("the session refresh in proxy.ts", () => {
  it("refreshes a token about to expire: the new cookie goes to the browser, to the page being rendered, and is never cached", async () => {
    const expiring = auth.createSession(ACME_OFFICE.userId, { expiresInSeconds: 30 });
    storeSession(browser, SESSION_COOKIE, expiring);

    const response = await proxy(new NextRequest(`${APP}/inbox`, { headers: { cookie: browser.header() } }));

    const refreshed = await storedSession(response.cookies, SESSION_COOKIE);
    expect(refreshed).not.toBeNull();
    expect(refreshed!.refresh_token).not.toBe(expiring.refresh_token);
    expect(refreshed!.expires_at).toBeGreaterThan(nowSeconds() + 3000);
    expect(response.headers.get("cache-control")).toContain("no-store");
    expect(response.headers.get("x-middleware-request-cookie")).toContain(SESSION_COOKIE);
    expect(auth.requests.filter((request) => request.path === "/token")).toHaveLength(1);

    browser.receive(response);
    const viewer = await getViewer();
    expect(viewer?.userId).toBe(ACME_OFFICE.userId);
    expect(viewer!.claims.exp).toBeGreaterThan(nowSeconds() + 3000);
  });

  it("leaves a fresh session alone", async () => {
    storeSession(browser, SESSION_COOKIE, auth.createSession(ACME_OFFICE.userId));
    const response = await proxy(new NextRequest(`${APP}/inbox`, { headers: { cookie: browser.header() } }));
    expect(response.cookies.getAll()).toEqual([]);
    expect(auth.requests.filter((request) => request.path === "/token")).toEqual([]);
  });
});

describe("tokens that must not sign anyone in", () => {
  /** A session cookie the browser claims is good for an hour, around the given access token. */
  const storeAccessToken = (accessToken: string) =>
    storeSession(browser, SESSION_COOKIE, {
      access_token: accessToken,
      token_type: "bearer",
      expires_in: 3600,
      expires_at: nowSeconds() + 3600,
      refresh_token: "not-a-refresh-token",
    });

  it("an expired token", async () => {
    storeAccessToken(auth.accessToken(ACME_OFFICE.userId, { expiresInSeconds: -60 }));
    expect(await getViewer()).toBeNull();
  });

  it("an expired session whose refresh token Auth no longer honours", async () => {
    storeSession(browser, SESSION_COOKIE, { ...auth.createSession(ACME_OFFICE.userId, { expiresInSeconds: -60 }), refresh_token: "revoked" });
    expect(await getViewer()).toBeNull();
    expect(auth.requests.filter((request) => request.path === "/token")).toHaveLength(1);
  });

  it("a forged one: Acme's token with its subject changed to the agency owner's", async () => {
    const [header, , signature] = auth.accessToken(ACME_OFFICE.userId).split(".");
    const payload = Buffer.from(JSON.stringify({ sub: AGENCY_OWNER.userId, role: "authenticated", aud: "authenticated", exp: nowSeconds() + 3600 })).toString("base64url");
    storeAccessToken(`${header}.${payload}.${signature}`);
    expect(await getViewer()).toBeNull();
  });

  it("one signed by another key under the project's key id", async () => {
    storeAccessToken(auth.accessToken(AGENCY_OWNER.userId, { key: createSigningKey(auth.signingKey.kid) }));
    expect(await getViewer()).toBeNull();
  });

  it("one signed by another key under a key id the project does not have", async () => {
    storeAccessToken(auth.accessToken(AGENCY_OWNER.userId, { key: createSigningKey() }));
    expect(await getViewer()).toBeNull();
  });

  it("a token for a role other than a signed-in user", async () => {
    storeAccessToken(signJwt({ sub: AGENCY_OWNER.userId, role: "service_role", exp: nowSeconds() + 3600 }, auth.signingKey));
    expect(await getViewer()).toBeNull();
  });
});

describe("what the verified claims reach", () => {
  it("RLS sees the verified sub: Acme's client user reaches only Acme's leads", async () => {
    await redirectOf(() => signInWithPassword(ACME_EMAIL, PASSWORD));
    const viewer = (await getViewer())!;
    const reached = await withUserClaims(seeded.db, viewer.claims, (tx) => tx.query<{ client_id: string }>("select distinct client_id from public.leads"));
    const [{ clients }] = await seeded.db.query<{ clients: number }>("select count(distinct client_id)::int as clients from public.leads");
    expect(clients).toBeGreaterThan(1);
    expect(reached).toEqual([{ client_id: "acme-plumbing" }]);
  });

  it("a signed-in user without a membership is sent to /login?error=no-access, a signed-out one to /login", async () => {
    expect(await redirectOf(() => requireViewer("/inbox?status=new"))).toBe("/login?next=%2Finbox%3Fstatus%3Dnew");
    auth.addUser({ email: "stranger@example.test", password: PASSWORD });
    await redirectOf(() => signInWithPassword("stranger@example.test", PASSWORD));
    expect(await getViewer()).toBeNull();
    expect(await redirectOf(() => requireViewer())).toBe("/login?error=no-access");
  });
});

describe("signing out", () => {
  it("revokes the session at Supabase, clears the cookie and lands on /login", async () => {
    await redirectOf(() => signInWithPassword(ACME_EMAIL, PASSWORD));
    const session = await storedSession(browser, SESSION_COOKIE);

    expect(await redirectOf(signOut)).toBe("/login");

    expect(browser.getAll()).toEqual([]);
    expect(await getViewer()).toBeNull();
    expect(auth.requests.find((request) => request.path === "/logout")?.query).toBe("?scope=local");
    const refresh = await fetch(`${SUPABASE.url}/auth/v1/token?grant_type=refresh_token`, {
      method: "POST",
      headers: { apikey: SUPABASE.publishableKey },
      body: JSON.stringify({ refresh_token: session!.refresh_token }),
    });
    expect(await refresh.json()).toMatchObject({ error_code: "refresh_token_not_found" });
  });
});
