// Agency staff give people access from /team: through Supabase's admin API (the secret key) when a
// project is configured, or straight into the embedded database. Who may invite is decided by RLS
// under the inviter's verified claims, so a client user cannot, however the call is made.
import { getAccessFallbackHTTPStatus, isHTTPAccessFallbackError } from "next/dist/client/components/http-access-fallback/http-access-fallback";
import { NextRequest } from "next/server";
import { beforeEach, describe, expect, it, vi } from "vitest";
import TeamPage from "@/app/(dashboard)/team/page";
import { GET as confirm } from "@/app/auth/confirm/route";
import { signInForDevelopment } from "@/app/login/actions";
import { startDevSession } from "@/lib/auth/dev-session";
import { getViewer } from "@/lib/auth/get-viewer";
import { listDevSignInUsers } from "@/lib/auth/list-dev-sign-in-users";
import { serverEnv } from "@/lib/env";
import { inviteRequestSchema, inviteUser } from "@/lib/members/invite-user";
import { ACME_OFFICE, AGENCY_OWNER } from "../support/seeded-viewers";
import { browser } from "./browser-cookies";
import { formData } from "./form-data";
import { redirectOf } from "./redirect-of";
import { renderPage } from "./render-page";
import { useSeededDatabase } from "./use-seeded-database";
import { SUPABASE, useSupabaseAuth } from "./use-supabase-auth";

vi.mock("next/headers", async () => ({ cookies: async () => (await import("./browser-cookies")).browser }));

const seeded = useSeededDatabase();
beforeEach(() => browser.clear());

const request = (email: string, access: string) => inviteRequestSchema.parse({ email, access });
const membershipOf = async (email: string) =>
  (
    await seeded.db.query<{ role: string; client_id: string | null }>(
      "select m.role, m.client_id from public.members m join auth.users u on u.id = m.user_id where u.email = $1",
      [email],
    )
  )[0] ?? null;

describe("with Supabase Auth", () => {
  const auth = useSupabaseAuth();

  it("staff invite a client user: the admin API is called with the secret key, the invitation emailed, the membership added, and the link signs them in", async () => {
    const outcome = await inviteUser(seeded.db, AGENCY_OWNER, request("New.Hire@AcmePlumbing.test", "client:acme-plumbing"), serverEnv());

    expect(outcome).toEqual({ ok: true, message: "Invited new.hire@acmeplumbing.test as a client user of Acme Plumbing. Supabase has emailed them a link to sign in." });
    const invite = auth.requests.find((sent) => sent.path === "/invite");
    expect(invite).toMatchObject({ apikey: SUPABASE.secretKey, body: { email: "new.hire@acmeplumbing.test" } });
    expect(new URLSearchParams(invite!.query).get("redirect_to")).toBe("https://leads.example.test/auth/confirm");
    const invited = [...auth.users.values()].find((user) => user.email === "new.hire@acmeplumbing.test")!;
    expect(await membershipOf("new.hire@acmeplumbing.test")).toEqual({ role: "client", client_id: "acme-plumbing" });

    const [email] = auth.emails;
    expect(email).toMatchObject({ to: "new.hire@acmeplumbing.test", type: "invite" });
    expect(await redirectOf(() => confirm(new NextRequest(`https://leads.example.test/auth/confirm?token_hash=${email.tokenHash}&type=invite`)))).toBe("/inbox");
    expect(await getViewer()).toMatchObject({ userId: invited.id, role: "client", clientId: "acme-plumbing" });
  });

  it("a client user cannot invite, even calling it directly with a viewer that claims to be staff: nothing is emailed or added", async () => {
    for (const inviter of [ACME_OFFICE, { ...ACME_OFFICE, role: "agency_admin" as const, clientId: null }]) {
      const outcome = await inviteUser(seeded.db, inviter, request("accomplice@example.test", "agency_staff"), serverEnv());
      expect(outcome).toEqual({ ok: false, message: "Only agency staff can invite people." });
    }
    expect(auth.requests).toEqual([]);
    expect(await seeded.db.query("select 1 from auth.users where email = 'accomplice@example.test'")).toEqual([]);
  });

  it("without the secret key, says which variable to set and calls nothing", async () => {
    vi.stubEnv("SUPABASE_SECRET_KEY", "");
    const outcome = await inviteUser(seeded.db, AGENCY_OWNER, request("later@example.test", "agency_staff"), serverEnv());
    vi.stubEnv("SUPABASE_SECRET_KEY", SUPABASE.secretKey);
    expect(outcome.ok).toBe(false);
    expect(outcome.message).toContain("SUPABASE_SECRET_KEY");
    expect(auth.requests).toEqual([]);
  });
});

describe("in the embedded default", () => {
  it("staff add a user, who then appears in the development sign-in and reaches only their client", async () => {
    const outcome = await inviteUser(seeded.db, AGENCY_OWNER, request("reception@brightsmiles.test", "client:bright-smiles"), serverEnv());

    expect(outcome).toEqual({ ok: true, message: "Added reception@brightsmiles.test as a client user of Bright Smiles Dental. They can sign in with the development sign-in." });
    const added = (await listDevSignInUsers(seeded.db)).find((user) => user.email === "reception@brightsmiles.test");
    expect(added).toMatchObject({ role: "client", clientName: "Bright Smiles Dental" });
    expect(await redirectOf(() => signInForDevelopment(formData({ userId: added!.userId })))).toBe("/inbox");
    expect(await getViewer()).toMatchObject({ email: "reception@brightsmiles.test", role: "client", clientId: "bright-smiles" });
  });

  it("adds agency staff, who see every client", async () => {
    await inviteUser(seeded.db, AGENCY_OWNER, request("planner@northwind.test", "agency_staff"), serverEnv());
    expect(await membershipOf("planner@northwind.test")).toEqual({ role: "agency_staff", client_id: null });
  });

  it("says plainly when the person is already a member, the client does not exist, the email is malformed or no access was chosen", async () => {
    expect(await inviteUser(seeded.db, AGENCY_OWNER, request("OFFICE@acmeplumbing.test", "agency_staff"), serverEnv())).toEqual({
      ok: false,
      message: "office@acmeplumbing.test is already a member.",
    });
    expect(await membershipOf("office@acmeplumbing.test")).toEqual({ role: "client", client_id: "acme-plumbing" });
    expect(await inviteUser(seeded.db, AGENCY_OWNER, request("someone@example.test", "client:no-such-client"), serverEnv())).toEqual({
      ok: false,
      message: "That client does not exist. Choose one from the list.",
    });
    expect(await seeded.db.query("select 1 from auth.users where email = 'someone@example.test'")).toEqual([]);

    const badEmail = inviteRequestSchema.safeParse({ email: "someone@", access: "agency_staff" });
    expect(badEmail.error?.issues[0].message).toBe("Enter a valid email address, like name@business.com.");
    const noAccess = inviteRequestSchema.safeParse({ email: "someone@example.test", access: "" });
    expect(noAccess.error?.issues[0].message).toMatch(/^Choose what they can see/);
  });
});

describe("the team page", () => {
  const signIn = (viewer: typeof AGENCY_OWNER) => startDevSession(serverEnv(), browser, { userId: viewer.userId, email: viewer.email });

  it("lists the members with their access for agency staff, beside the invite form", async () => {
    signIn(AGENCY_OWNER);
    const html = await renderPage(TeamPage());
    expect(html).toContain("owner@northwind.test");
    expect(html).toMatch(/office@acmeplumbing\.test<\/span><span[^>]*>Client user · Acme Plumbing/);
    expect(html).toContain('<label for="invite-email"');
    expect(html).toContain('<option value="client:bright-smiles">Client user of Bright Smiles Dental</option>');
  });

  it("is not found for a client user", async () => {
    signIn(ACME_OFFICE);
    const refused = await TeamPage().then(
      () => null,
      (error: unknown) => error,
    );
    expect(isHTTPAccessFallbackError(refused) && getAccessFallbackHTTPStatus(refused)).toBe(404);
  });
});
