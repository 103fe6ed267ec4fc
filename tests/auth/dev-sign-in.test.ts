// The development sign-in, used when no Supabase project is configured: a button per user, an
// HMAC-sealed cookie, and a production build that refuses it unless DEMO_MODE=true says otherwise.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { signOut } from "@/app/auth/actions";
import { signInForDevelopment } from "@/app/login/actions";
import LoginPage from "@/app/login/page";
import HomePage from "@/app/page";
import { DEV_SESSION_COOKIE, startDevSession } from "@/lib/auth/dev-session";
import { getViewer, requireViewer } from "@/lib/auth/get-viewer";
import { withUserClaims } from "@/lib/db/with-user-claims";
import { serverEnv } from "@/lib/env";
import { ACME_OFFICE, AGENCY_OWNER } from "../support/seeded-viewers";
import { browser } from "./browser-cookies";
import { formData } from "./form-data";
import { redirectOf } from "./redirect-of";
import { renderPage } from "./render-page";
import { useSeededDatabase } from "./use-seeded-database";

vi.mock("next/headers", async () => ({ cookies: async () => (await import("./browser-cookies")).browser }));

const SEVEN_DAYS = 7 * 24 * 60 * 60;
const seeded = useSeededDatabase();
beforeEach(() => browser.clear());
afterEach(() => {
  vi.unstubAllEnvs();
});

const signInAs = (userId: string, next?: string) => redirectOf(() => signInForDevelopment(formData({ userId, ...(next ? { next } : {}) })));
const loginPage = (params: Record<string, string> = {}) => renderPage(LoginPage({ searchParams: Promise.resolve(params) }));
const inProduction = (demoMode?: "true") => {
  vi.stubEnv("NODE_ENV", "production");
  if (demoMode) vi.stubEnv("DEMO_MODE", demoMode);
};

describe("the development sign-in", () => {
  it("offers one button per user with access, named with the user's email and client", async () => {
    const html = await loginPage();
    expect(html).toContain("<main");
    expect(html).toContain("Development sign-in");
    expect(html).toContain('aria-label="Sign in as office@acmeplumbing.test (Acme Plumbing)"');
    expect(html).toContain('aria-label="Sign in as front-desk@brightsmiles.test (Bright Smiles Dental)"');
    expect(html).toContain('aria-label="Sign in as owner@northwind.test (Agency admin)"');
  });

  it("signs in with one click: a sealed, httpOnly cookie for 7 days, and getViewer() is that user, whose claims RLS follows", async () => {
    expect(await signInAs(ACME_OFFICE.userId, "/inbox?status=new")).toBe("/inbox?status=new");

    expect(browser.stored.get(DEV_SESSION_COOKIE)?.options).toMatchObject({ httpOnly: true, secure: true, sameSite: "lax", path: "/", maxAge: SEVEN_DAYS });
    const viewer = await getViewer();
    expect(viewer).toMatchObject({ userId: ACME_OFFICE.userId, email: ACME_OFFICE.email, role: "client", clientId: "acme-plumbing" });
    expect(viewer!.claims.exp).toBeGreaterThan(Date.now() / 1000 + SEVEN_DAYS - 60);
    const reached = await withUserClaims(seeded.db, viewer!.claims, (tx) => tx.query("select distinct client_id from public.leads"));
    expect(reached).toEqual([{ client_id: "acme-plumbing" }]);
    expect(await redirectOf(() => HomePage())).toBe("/inbox");
  });

  it("rejects a cookie whose contents were changed, or sealed with another server's key", async () => {
    await signInAs(ACME_OFFICE.userId);
    const [, seal] = browser.get(DEV_SESSION_COOKIE)!.value.split(".");
    const promoted = Buffer.from(JSON.stringify({ sub: AGENCY_OWNER.userId, email: AGENCY_OWNER.email, exp: Date.now() / 1000 + 3600 })).toString("base64url");
    browser.set(DEV_SESSION_COOKIE, `${promoted}.${seal}`);
    expect(await getViewer()).toBeNull();

    vi.stubEnv("TWILIO_AUTH_TOKEN", "another-deployments-token");
    startDevSession(serverEnv(), browser, { userId: AGENCY_OWNER.userId, email: AGENCY_OWNER.email });
    vi.unstubAllEnvs();
    expect(await getViewer()).toBeNull();
    expect(await redirectOf(() => HomePage())).toBe("/login");
  });

  it("rejects an expired cookie", async () => {
    const eightDaysAgo = Date.now() - 8 * 24 * 60 * 60 * 1000;
    startDevSession(serverEnv(), browser, { userId: ACME_OFFICE.userId, email: ACME_OFFICE.email }, eightDaysAgo);
    expect(await getViewer()).toBeNull();
  });

  it("refuses a user id with no access", async () => {
    expect(await signInAs("00000000-0000-4000-a000-0000000000ee")).toBe("/login?error=unknown-user");
    expect(browser.getAll()).toEqual([]);
  });

  it("sends a user whose membership was removed to /login?error=no-access, which says so and offers to sign out", async () => {
    const [{ id }] = await seeded.db.query<{ id: string }>("insert into auth.users (email) values ('leaver@acmeplumbing.test') returning id");
    await seeded.db.query("insert into public.members (user_id, role, client_id) values ($1, 'client', 'acme-plumbing')", [id]);
    await signInAs(id);
    await seeded.db.query("delete from public.members where user_id = $1", [id]);

    expect(await redirectOf(() => requireViewer())).toBe("/login?error=no-access");
    const html = await loginPage({ error: "no-access" });
    expect(html).toContain("You are signed in as leaver@acmeplumbing.test, but this account has no access");
    expect(html).toContain("Sign out");
    expect(await redirectOf(signOut)).toBe("/login");
    expect(browser.getAll()).toEqual([]);
  });

  it("sends a signed-in visitor from /login on to where they were going", async () => {
    await signInAs(ACME_OFFICE.userId);
    expect(await redirectOf(() => loginPage({ next: "/reports" }))).toBe("/reports");
  });

  // Each comes out of URL parsing as `//evil.example`, which a browser reads as another host.
  it.each(["//evil.example", "/\\evil.example", "/.//evil.example", "/a/..//evil.example", "/%2e//evil.example", "/./\t/evil.example"])(
    "never sends the visitor to another site for ?next=%j, signing in or already signed in",
    async (next) => {
      expect(await signInAs(ACME_OFFICE.userId, next)).toBe("/inbox");
      expect(await redirectOf(() => loginPage({ next }))).toBe("/inbox");
    },
  );
});

describe("a production build", () => {
  it("refuses the development sign-in without DEMO_MODE: the page says sign-in is not configured, the action refuses, an old cookie counts for nothing", async () => {
    await signInAs(ACME_OFFICE.userId);
    inProduction();

    expect(await getViewer()).toBeNull();
    const html = await loginPage();
    expect(html).toContain("Sign-in is not configured");
    expect(html).toContain("NEXT_PUBLIC_SUPABASE_URL");
    expect(html).not.toContain("Sign in as");

    browser.clear();
    expect(await signInAs(ACME_OFFICE.userId)).toBe("/login?error=dev-sign-in-off");
    expect(browser.getAll()).toEqual([]);
  });

  it("allows it with DEMO_MODE=true, and says on the page that anyone can sign in", async () => {
    inProduction("true");
    const html = await loginPage();
    expect(html).toContain("This is a public demo: anyone can sign in as any of these users");
    expect(html).toContain('aria-label="Sign in as office@acmeplumbing.test (Acme Plumbing)"');

    expect(await signInAs(ACME_OFFICE.userId)).toBe("/inbox");
    expect(await getViewer()).toMatchObject({ userId: ACME_OFFICE.userId, clientId: "acme-plumbing" });
  });
});

describe("with a Supabase project configured", () => {
  it("the development sign-in is off and its cookie means nothing", async () => {
    await signInAs(ACME_OFFICE.userId);
    vi.stubEnv("NEXT_PUBLIC_SUPABASE_URL", "https://stand-in.supabase.test");
    vi.stubEnv("NEXT_PUBLIC_SUPABASE_PUBLISHABLE_KEY", "sb_publishable_stand_in_key");

    expect(await getViewer()).toBeNull();
    browser.clear();
    expect(await signInAs(ACME_OFFICE.userId)).toBe("/login?error=dev-sign-in-off");
    const html = await loginPage();
    expect(html).toContain('<label for="sign-in-email"');
    expect(html).toContain("Email me a sign-in link");
    expect(html).not.toContain("Sign in as");
  });
});
