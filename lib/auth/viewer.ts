import type { UserClaims } from "../db/with-user-claims";

export type ViewerRole = "agency_admin" | "agency_staff" | "client";

/**
 * The signed-in user as the inbox sees them: who they are, from verified claims, and what their
 * membership lets them reach. Every inbox query runs with `claims` (lib/db/with-user-claims.ts),
 * so Postgres RLS decides what is reached; `role` and `clientId` only shape what is asked for.
 */
export type Viewer = {
  userId: string;
  email: string | null;
  role: ViewerRole;
  /** The one client a client user belongs to; null for agency staff. */
  clientId: string | null;
  claims: UserClaims;
};

export function isAgencyStaff(viewer: Pick<Viewer, "role">): boolean {
  return viewer.role === "agency_admin" || viewer.role === "agency_staff";
}
