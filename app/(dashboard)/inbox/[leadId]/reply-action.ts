"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { requireViewer } from "@/lib/auth/get-viewer";
import { getDatabase } from "@/lib/db/get-database";
import { sendInboxReply } from "@/lib/inbox/send-inbox-reply";

export type ReplyFormState = {
  outcome: "idle" | "sent" | "refused";
  message: string;
  /** What the reply field should hold next: empty once sent, the text again when refused and not sent. */
  body: string;
};

const replyFormSchema = z.object({
  leadId: z.string(),
  body: z.string(),
});

/** The inbox's reply box: sends the text as the signed-in user, who must be able to see the lead. */
export async function sendReply(_previous: ReplyFormState, form: FormData): Promise<ReplyFormState> {
  const viewer = await requireViewer();
  const parsed = replyFormSchema.safeParse({ leadId: form.get("leadId"), body: form.get("body") });
  if (!parsed.success) return { outcome: "refused", message: "Write a reply first.", body: "" };
  const { leadId, body } = parsed.data;

  const result = await sendInboxReply(await getDatabase(), viewer, leadId, body);
  // A send, and Twilio's refusal that recorded an opt-out, both change what the thread shows.
  if (result.ok || result.reason === "opted-out") revalidatePath(`/inbox/${leadId}`);
  if (result.ok) return { outcome: "sent", message: result.status === "simulated" ? "Sent (simulated: no Twilio account)." : "Sent.", body: "" };
  // The text went out even though it could not be kept: giving it back would invite sending it twice.
  if (result.reason === "not-saved") return { outcome: "refused", message: result.message, body: "" };
  return { outcome: "refused", message: result.message, body };
}
