import type { Viewer } from "@/lib/auth/viewer";

/** The seeded users (supabase/seed.sql) as the inbox sees them once signed in. */
export const AGENCY_OWNER: Viewer = viewer("00000000-0000-4000-a000-000000000001", "owner@northwind.test", "agency_admin", null);
export const ACME_OFFICE: Viewer = viewer("00000000-0000-4000-a000-000000000002", "office@acmeplumbing.test", "client", "acme-plumbing");
export const BRIGHT_FRONT_DESK: Viewer = viewer("00000000-0000-4000-a000-000000000003", "front-desk@brightsmiles.test", "client", "bright-smiles");

function viewer(userId: string, email: string, role: Viewer["role"], clientId: string | null): Viewer {
  return { userId, email, role, clientId, claims: { sub: userId, role: "authenticated", email } };
}
