"use server";

import { revalidatePath } from "next/cache";
import { requireViewer } from "@/lib/auth/get-viewer";
import { getDatabase } from "@/lib/db/get-database";
import { markupInputSchema, saveClientMarkup, type MarkupOutcome } from "@/lib/usage/save-client-markup";

export type MarkupFormState = Partial<MarkupOutcome>;

/** A client's markup on /usage. Who may set one is decided under the viewer's claims (RLS), not by this page. */
export async function saveMarkup(_state: MarkupFormState, formData: FormData): Promise<MarkupFormState> {
  const viewer = await requireViewer("/usage");
  const parsed = markupInputSchema.safeParse({ clientId: formData.get("clientId") ?? undefined, markupPercent: formData.get("markupPercent") ?? "" });
  if (!parsed.success) return { ok: false, message: parsed.error.issues[0].message };
  const outcome = await saveClientMarkup(await getDatabase(), viewer, parsed.data);
  if (outcome.ok) revalidatePath("/usage");
  return outcome;
}
