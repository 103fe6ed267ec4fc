"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { requireViewer } from "@/lib/auth/get-viewer";
import { getDatabase } from "@/lib/db/get-database";
import { leadChangesSchema, updateLead } from "@/lib/inbox/update-lead";

export type LeadFormFields = { status: string; name: string; value: string; notes: string };

export type LeadFormState = {
  outcome: "idle" | "saved" | "refused";
  message: string;
  /** What was typed, given back when it was refused so nothing typed is lost. */
  typed?: LeadFormFields;
};

const text = (form: FormData, key: keyof LeadFormFields) => {
  const value = form.get(key);
  return typeof value === "string" ? value : undefined;
};

/** The lead panel: status, name, value and notes, saved as the signed-in user, who must be able to see the lead. */
export async function saveLead(_previous: LeadFormState, form: FormData): Promise<LeadFormState> {
  const viewer = await requireViewer();
  const leadId = z.uuid().safeParse(form.get("leadId"));
  const fields = { status: text(form, "status"), name: text(form, "name"), value: text(form, "value"), notes: text(form, "notes") };
  const typed: LeadFormFields = { status: fields.status ?? "", name: fields.name ?? "", value: fields.value ?? "", notes: fields.notes ?? "" };
  if (!leadId.success) return { outcome: "refused", message: "This lead cannot be found.", typed };

  const changes = leadChangesSchema.safeParse(fields);
  if (!changes.success) return { outcome: "refused", message: changes.error.issues[0].message, typed };
  if (!(await updateLead(await getDatabase(), viewer, leadId.data, changes.data))) {
    return { outcome: "refused", message: "This lead cannot be found.", typed };
  }
  revalidatePath(`/inbox/${leadId.data}`);
  revalidatePath("/inbox");
  return { outcome: "saved", message: "Saved." };
}
