// The reply box's server action: the form's fields go to the reply as the signed-in user; a sent
// reply empties the box and refreshes the thread, a refused one keeps the text (unless it went out) and says why.
import { beforeAll, describe, expect, it, vi } from "vitest";
import { sendReply, type ReplyFormState } from "@/app/(dashboard)/inbox/[leadId]/reply-action";
import { getDatabase } from "@/lib/db/get-database";
import { seedDatabase } from "@/lib/db/seed-database";
import { NOT_SAVED_MESSAGE, OPTED_OUT_MESSAGE } from "@/lib/inbox/send-inbox-reply";
import { useRemoteServices } from "../support/remote-services";
import { ACME_OFFICE } from "../support/seeded-viewers";
import { phoneNumber } from "../support/tracking-numbers";

const revalidated = vi.hoisted(() => [] as string[]);
vi.mock("@/lib/auth/get-viewer", () => ({ requireViewer: async () => ACME_OFFICE }));
vi.mock("next/cache", () => ({ revalidatePath: (path: string) => revalidated.push(path) }));

// Two of Acme's seeded leads; the second one's caller is made to opt out below.
const SEEDED_LEAD = { id: "10000000-0000-4000-a000-000000000001", caller: "+15125550134" };
const OPTED_OUT_LEAD = "10000000-0000-4000-a000-000000000002";
const NOTHING_YET: ReplyFormState = { outcome: "idle", message: "", body: "" };

const { twilioApi } = useRemoteServices();

beforeAll(async () => {
  await seedDatabase(await getDatabase(), { onlyIfEmpty: true });
});

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.set(name, value);
  return data;
}

describe("sending a reply from the thread", () => {
  it("texts the lead, empties the box and refreshes the thread", async () => {
    const state = await sendReply(NOTHING_YET, form({ leadId: SEEDED_LEAD.id, body: "We can come at 3pm." }));

    expect(state).toEqual({ outcome: "sent", message: "Sent.", body: "" });
    expect(twilioApi.sent).toEqual([expect.objectContaining({ to: SEEDED_LEAD.caller, body: "We can come at 3pm." })]);
    expect(revalidated).toContain(`/inbox/${SEEDED_LEAD.id}`);
  });

  it("keeps the text and says why when the lead opted out", async () => {
    const db = await getDatabase();
    const [{ caller }] = await db.query<{ caller: string }>("select caller from public.leads where id = $1", [OPTED_OUT_LEAD]);
    await db.query("insert into public.opt_outs (client_id, phone, reason) values ('acme-plumbing', $1, 'texted STOP') on conflict do nothing", [caller]);

    const state = await sendReply(NOTHING_YET, form({ leadId: OPTED_OUT_LEAD, body: "Hello?" }));

    expect(state).toEqual({ outcome: "refused", message: OPTED_OUT_MESSAGE, body: "Hello?" });
    expect(twilioApi.sent).toEqual([]);
  });

  it("empties the box when the text went out but could not be kept, so it is not sent twice", async () => {
    const db = await getDatabase();
    const caller = phoneNumber();
    const [lead] = await db.query<{ id: string }>(
      `insert into public.leads (lead_key, client_id, caller, tracking_number, source)
       values ('acme-plumbing:' || $1, 'acme-plumbing', $1, '+15125550100', 'Google Ads') returning id`,
      [caller],
    );
    // Staff delete the lead while Twilio is taking the text: there is no thread left to keep it in.
    twilioApi.whileAccepting(caller, async () => {
      await db.query("delete from public.leads where id = $1", [lead.id]);
    });

    const state = await sendReply(NOTHING_YET, form({ leadId: lead.id, body: "On our way." }));

    expect(state).toEqual({ outcome: "refused", message: NOT_SAVED_MESSAGE, body: "" });
    expect(twilioApi.sent).toEqual([expect.objectContaining({ to: caller, body: "On our way." })]);
    expect(await db.query("select id from public.messages where counterpart = $1", [caller])).toEqual([]);
  });

  it("refuses a form without the reply's fields", async () => {
    const state = await sendReply(NOTHING_YET, form({}));
    expect(state.outcome).toBe("refused");
    expect(twilioApi.sent).toEqual([]);
  });
});
