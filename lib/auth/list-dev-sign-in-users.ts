import type { Database } from "../db/database";
import type { ViewerRole } from "./viewer";

/** A user the development sign-in offers: every auth user with a membership. */
export type DevSignInUser = { userId: string; email: string; role: ViewerRole; clientName: string | null };

const SELECT_USERS = `
  select u.id as "userId", u.email, m.role, c.name as "clientName"
    from auth.users u
    join public.members m on m.user_id = u.id
    left join public.clients c on c.id = m.client_id
   where u.email is not null`;

// Read as the server's own role: who exists is what the development sign-in is for, and only
// where it is allowed does anything call these.
export async function listDevSignInUsers(db: Database): Promise<DevSignInUser[]> {
  return db.query<DevSignInUser>(`${SELECT_USERS} order by m.role = 'client', c.name nulls first, u.email`);
}

export async function findDevSignInUser(db: Database, userId: string): Promise<DevSignInUser | null> {
  const [user] = await db.query<DevSignInUser>(`${SELECT_USERS} and u.id = $1`, [userId]);
  return user ?? null;
}
