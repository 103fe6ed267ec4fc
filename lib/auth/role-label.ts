import type { ViewerRole } from "./viewer";

export const ROLE_LABELS: Record<ViewerRole, string> = {
  agency_admin: "Agency admin",
  agency_staff: "Agency staff",
  client: "Client user",
};

/** What a member may see, in words: "Agency admin", or "Client user · Acme Plumbing". */
export function accessLabel(role: ViewerRole, clientName: string | null): string {
  return clientName ? `${ROLE_LABELS[role]} · ${clientName}` : ROLE_LABELS[role];
}
