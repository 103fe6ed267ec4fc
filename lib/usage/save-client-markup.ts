import { z } from "zod";
import type { Viewer } from "../auth/viewer";
import type { Database } from "../db/database";
import { withUserClaims } from "../db/with-user-claims";

export const MAX_MARKUP_PERCENT = 1000;

/** The markup form: which client, and a percentage (empty means none). */
export const markupInputSchema = z.object({
  clientId: z.string({ message: "Choose a client." }).regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, "Choose a client."),
  markupPercent: z
    .string()
    .trim()
    .transform((value) => value || "0")
    .pipe(
      z
        .string()
        .regex(/^\d{1,4}(\.\d{1,2})?$/, "Give the markup as a percentage such as 20 or 12.5, with at most two decimals.")
        .refine((value) => Number(value) <= MAX_MARKUP_PERCENT, `A markup can be at most ${MAX_MARKUP_PERCENT.toLocaleString("en-US")}%.`),
    ),
});
export type MarkupInput = z.infer<typeof markupInputSchema>;

export type MarkupOutcome = { ok: boolean; message: string };

/**
 * Sets a client's markup under the viewer's own claims: RLS (client_billing, staff only) has the
 * last word, so a client user's attempt changes nothing whatever the page showed them.
 */
export async function saveClientMarkup(db: Database, viewer: Viewer, input: MarkupInput): Promise<MarkupOutcome> {
  try {
    const [saved] = await withUserClaims(db, viewer.claims, (tx) =>
      tx.query<{ name: string }>(
        `insert into public.client_billing (client_id, markup_percent) values ($1, $2)
         on conflict (client_id) do update set markup_percent = excluded.markup_percent, updated_at = now()
         returning (select name from public.clients where id = client_billing.client_id) as name`,
        [input.clientId, input.markupPercent],
      ),
    );
    return { ok: true, message: `${saved.name}: markup set to ${Number(input.markupPercent)}%.` };
  } catch (error) {
    const { code } = error as { code?: string };
    if (code === "42501") return { ok: false, message: "Only agency staff can set a markup." };
    if (code === "23503") return { ok: false, message: "That client no longer exists. Reload the page." };
    throw error;
  }
}
