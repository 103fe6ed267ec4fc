import { isAgencyStaff, type Viewer } from "../auth/viewer";

/**
 * The clients an inbox query asks about: a client user's own, whatever the URL says; for agency
 * staff the one they picked, or null for all. RLS enforces the same; this keeps the plans per client.
 */
export function visibleClientIds(viewer: Viewer, requested: string | undefined): string[] | null {
  if (!isAgencyStaff(viewer)) return viewer.clientId ? [viewer.clientId] : [];
  return requested ? [requested] : null;
}
