import { z } from "zod";
import type { Viewer } from "../auth/viewer";
import type { Database } from "../db/database";
import { withUserClaims } from "../db/with-user-claims";
import type { ServerEnv } from "../env";
import { createAdminClient } from "../supabase/admin";

/** The invite form: an email, and what they may see ("agency_staff", or "client:<client id>"). */
export const inviteRequestSchema = z
  .object({
    email: z.string().trim().toLowerCase().pipe(z.email({ message: "Enter a valid email address, like name@business.com." })),
    access: z
      .string({ message: "Choose what they can see: one client's leads, or every client as agency staff." })
      .regex(/^(agency_staff|client:.+)$/, "Choose what they can see: one client's leads, or every client as agency staff."),
  })
  .transform(({ email, access }) =>
    access === "agency_staff"
      ? { email, role: "agency_staff" as const, clientId: null }
      : { email, role: "client" as const, clientId: access.slice("client:".length) },
  );
export type InviteRequest = z.infer<typeof inviteRequestSchema>;

export type InviteOutcome = { ok: boolean; message: string };

type InviteEnv = Pick<ServerEnv, "supabase" | "publicBaseUrl">;

/**
 * Gives a person access: with Supabase, its admin API (the secret key) creates the account and
 * emails the invitation; in the embedded default the account is just added. The membership is
 * inserted under the inviter's own claims, so RLS (members_insert: staff only) has the last word,
 * and nothing is created or emailed for an inviter whom RLS does not count as staff.
 */
export async function inviteUser(db: Database, viewer: Viewer, request: InviteRequest, env: InviteEnv): Promise<InviteOutcome> {
  const [check] = await withUserClaims(db, viewer.claims, (tx) =>
    tx.query<{ staff: boolean; client_name: string | null }>(
      "select internal.is_agency_staff() as staff, (select name from public.clients where id = $1) as client_name",
      [request.clientId],
    ),
  );
  if (!check.staff) return { ok: false, message: "Only agency staff can invite people." };
  if (request.clientId && !check.client_name) return { ok: false, message: "That client does not exist. Choose one from the list." };
  const access = check.client_name ? `a client user of ${check.client_name}` : "agency staff";

  const [existing] = await db.query<{ id: string }>("select id from auth.users where lower(email) = $1", [request.email]);
  const account = existing ? { userId: existing.id } : await createAccount(db, request.email, env);
  if ("error" in account) return { ok: false, message: account.error };

  const added = await withUserClaims(db, viewer.claims, (tx) =>
    tx.query(
      "insert into public.members (user_id, role, client_id) values ($1, $2, $3) on conflict (user_id) do nothing returning user_id",
      [account.userId, request.role, request.clientId],
    ),
  );
  if (added.length === 0) return { ok: false, message: `${request.email} is already a member.` };
  if (existing) return { ok: true, message: `${request.email} already had an account and can now sign in as ${access}.` };
  return {
    ok: true,
    message: env.supabase
      ? `Invited ${request.email} as ${access}. Supabase has emailed them a link to sign in.`
      : `Added ${request.email} as ${access}. They can sign in with the development sign-in.`,
  };
}

async function createAccount(db: Database, email: string, env: InviteEnv): Promise<{ userId: string } | { error: string }> {
  if (!env.supabase) {
    const [user] = await db.query<{ id: string }>("insert into auth.users (email) values ($1) returning id", [email]);
    return { userId: user.id };
  }
  if (!env.supabase.secretKey) {
    return { error: "Inviting needs SUPABASE_SECRET_KEY (the project's secret key, kept on the server). Set it, or invite from Supabase's dashboard." };
  }
  const admin = createAdminClient(env.supabase.url, env.supabase.secretKey);
  const { data, error } = await admin.auth.admin.inviteUserByEmail(email, { redirectTo: new URL("/auth/confirm", env.publicBaseUrl).toString() });
  if (error || !data.user) return { error: `Supabase Auth refused the invitation: ${error?.message ?? "no user came back"}.` };
  // On Supabase's own database Auth has written the row already; a separate PostgreSQL needs it for the membership.
  await db.query("insert into auth.users (id, email) select $1, $2 where not exists (select 1 from auth.users where id = $1)", [data.user.id, email]);
  return { userId: data.user.id };
}
