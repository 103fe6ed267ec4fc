import type { Viewer, ViewerRole } from "../auth/viewer";
import type { Database } from "../db/database";
import { withUserClaims } from "../db/with-user-claims";

export type TeamMember = { userId: string; email: string | null; role: ViewerRole; clientName: string | null };
export type Team = { members: TeamMember[]; clients: { id: string; name: string }[] };

/**
 * The team page: the members and clients the viewer's claims reach (RLS: staff see all), then the
 * members' emails, which live in auth.users where no signed-in role reads, so the server's role
 * reads them for exactly the members RLS returned.
 */
export async function readTeam(db: Database, viewer: Viewer): Promise<Team> {
  const { members, clients } = await withUserClaims(db, viewer.claims, async (tx) => ({
    members: await tx.query<{ user_id: string; role: ViewerRole; client_name: string | null }>(
      `select m.user_id, m.role, c.name as client_name
         from public.members m left join public.clients c on c.id = m.client_id
        order by m.role = 'client', c.name nulls first, m.created_at`,
    ),
    clients: await tx.query<{ id: string; name: string }>("select id, name from public.clients order by name"),
  }));
  const emails = new Map(
    (await db.query<{ id: string; email: string | null }>("select id, email from auth.users where id = any($1::uuid[])", [members.map((m) => m.user_id)])).map(
      (user) => [user.id, user.email],
    ),
  );
  return {
    members: members.map((m) => ({ userId: m.user_id, email: emails.get(m.user_id) ?? null, role: m.role, clientName: m.client_name })),
    clients,
  };
}
