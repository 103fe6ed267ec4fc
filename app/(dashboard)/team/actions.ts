"use server";

import { revalidatePath } from "next/cache";
import { requireViewer } from "@/lib/auth/get-viewer";
import { getDatabase } from "@/lib/db/get-database";
import { serverEnv } from "@/lib/env";
import { inviteRequestSchema, inviteUser, type InviteOutcome } from "@/lib/members/invite-user";

export type InviteFormState = Partial<InviteOutcome>;

/** The invite form. Who may invite is decided under the inviter's claims (RLS), not by this page. */
export async function inviteMember(_state: InviteFormState, formData: FormData): Promise<InviteFormState> {
  const viewer = await requireViewer("/team");
  const parsed = inviteRequestSchema.safeParse({ email: formData.get("email"), access: formData.get("access") ?? undefined });
  if (!parsed.success) return { ok: false, message: parsed.error.issues[0].message };
  const outcome = await inviteUser(await getDatabase(), viewer, parsed.data, serverEnv());
  if (outcome.ok) revalidatePath("/team");
  return outcome;
}
