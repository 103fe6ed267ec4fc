import { z } from "zod";
import type { Database } from "../db/database";
import { withUserClaims, type UserClaims } from "../db/with-user-claims";
import type { Viewer, ViewerRole } from "./viewer";

const userIdSchema = z.guid();

/**
 * The viewer for verified claims: their membership, read under their own claims (RLS lets a user
 * see their own row), or null when they have none and so may reach nothing.
 */
export async function loadViewer(db: Database, claims: UserClaims): Promise<Viewer | null> {
  if (!userIdSchema.safeParse(claims.sub).success) return null;
  const [membership] = await withUserClaims(db, claims, (tx) =>
    tx.query<{ role: ViewerRole; client_id: string | null }>("select role, client_id from public.members where user_id = $1", [claims.sub]),
  );
  if (!membership) return null;
  return {
    userId: claims.sub,
    email: typeof claims.email === "string" ? claims.email : null,
    role: membership.role,
    clientId: membership.client_id,
    claims,
  };
}
