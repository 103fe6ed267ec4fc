// A client of its own for the inbox tests, with a signed-in user, tracking numbers and leads whose
// every call and text is dated by the test, so order, filters and counts are known exactly. Rows
// are written as the webhooks write them, with the role that bypasses RLS.
import { randomBytes, randomUUID } from "node:crypto";
import type { Viewer } from "@/lib/auth/viewer";
import type { TrackingNumberConfig } from "@/lib/config/tracking-number-config";
import type { Database } from "@/lib/db/database";
import { isWithheldCaller } from "@/lib/phone/caller-id";
import { addTrackingNumber, phoneNumber } from "../support/tracking-numbers";
import { sid } from "../support/twilio-webhook";

export type LabCall = { kind: "call"; at: Date; outcome: "answered" | "missed" | "abandoned"; talkSeconds?: number; voicemailSeconds?: number };
export type LabText = {
  kind: "text";
  at: Date;
  author: "lead" | "client" | "auto";
  body: string;
  media?: number;
  status?: string;
  errorCode?: number;
  relayStatus?: string;
};
export type LabLead = {
  caller?: string;
  name?: string;
  status?: string;
  source?: "Google Ads" | "Website";
  contacts: (LabCall | LabText)[];
};

export type Lab = {
  clientId: string;
  clientName: string;
  user: Viewer;
  googleAds: TrackingNumberConfig;
  website: TrackingNumberConfig;
  addLead(lead: LabLead): Promise<{ id: string; caller: string }>;
};

export const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);

/** A signed-in client user of `clientId`, as the inbox sees them. */
export async function addClientUser(db: Database, clientId: string): Promise<Viewer> {
  const userId = randomUUID();
  const email = `${userId.slice(0, 8)}@${clientId}.test`;
  await db.query("insert into auth.users (id, email) values ($1, $2)", [userId, email]);
  await db.query("insert into public.members (user_id, role, client_id) values ($1, 'client', $2)", [userId, clientId]);
  return { userId, email, role: "client", clientId, claims: { sub: userId, role: "authenticated", email } };
}

export async function openLab(db: Database): Promise<Lab> {
  const clientId = `inbox-lab-${randomBytes(4).toString("hex")}`;
  const clientName = `Inbox Lab ${clientId.slice(-8)}`;
  const googleAds = await addTrackingNumber({ clientId, clientName, source: "Google Ads" });
  const website = await addTrackingNumber({ clientId, clientName, source: "Website", primaryNumber: googleAds.primaryNumber });
  const user = await addClientUser(db, clientId);

  async function addLead(lead: LabLead): Promise<{ id: string; caller: string }> {
    const caller = lead.caller ?? phoneNumber("737");
    const tracking = lead.source === "Website" ? website : googleAds;
    const withheld = isWithheldCaller(caller);
    const times = lead.contacts.map((contact) => contact.at.getTime());
    const [{ id }] = await db.query<{ id: string }>(
      `insert into public.leads (lead_key, client_id, caller, caller_withheld, tracking_number, source, status, name, first_contact_at, last_contact_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning id`,
      [
        withheld ? `${clientId}:withheld:${sid("CA")}` : `${clientId}:${caller}`,
        clientId,
        caller,
        withheld,
        tracking.trackingNumber,
        tracking.source,
        lead.status ?? "New",
        lead.name ?? null,
        new Date(Math.min(...times)),
        new Date(Math.max(...times)),
      ],
    );
    for (const contact of lead.contacts) {
      if (contact.kind === "call") await addCall(id, caller, tracking, contact);
      else await addText(id, caller, tracking, contact);
    }
    return { id, caller };
  }

  async function addCall(leadId: string, caller: string, tracking: TrackingNumberConfig, call: LabCall): Promise<void> {
    const missed = call.outcome !== "answered";
    const recordingSid = call.voicemailSeconds === undefined ? null : sid("RE");
    await db.query(
      `insert into public.calls (call_sid, client_id, lead_id, tracking_number, caller, status, forwarded_to, dial_status, dial_duration_seconds,
                                 dial_bridged, outcome, missed_reason, duration_seconds, recording_sid, recording_url, recording_duration_seconds, started_at)
       values ($1, $2, $3, $4, $5, 'completed', $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
      [
        sid("CA"),
        clientId,
        leadId,
        tracking.trackingNumber,
        caller,
        tracking.primaryNumber,
        missed ? "no-answer" : "completed",
        missed ? null : (call.talkSeconds ?? 60),
        !missed,
        missed ? "missed" : "answered",
        call.outcome === "abandoned" ? "abandoned" : missed ? "no-answer" : null,
        (call.talkSeconds ?? 60) + 5,
        recordingSid,
        recordingSid && `https://api.twilio.com/2010-04-01/Accounts/AC0/Recordings/${recordingSid}`,
        call.voicemailSeconds ?? null,
        call.at,
      ],
    );
  }

  async function addText(leadId: string, caller: string, tracking: TrackingNumberConfig, text: LabText): Promise<void> {
    const outbound = text.author !== "lead";
    const media = Array.from({ length: text.media ?? 0 }, (_, i) => ({ url: `https://api.twilio.com/media/${i}`, contentType: "image/jpeg" }));
    await db.query(
      `insert into public.messages (message_sid, client_id, lead_id, direction, author, tracking_number, counterpart, body, media, status, error_code, relay_status, created_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [
        sid("SM"),
        clientId,
        leadId,
        outbound ? "outbound" : "inbound",
        text.author,
        tracking.trackingNumber,
        caller,
        text.body,
        JSON.stringify(media),
        text.status ?? (outbound ? "delivered" : "received"),
        text.errorCode ?? null,
        text.relayStatus ?? null,
        text.at,
      ],
    );
  }

  return { clientId, clientName, user, googleAds, website, addLead };
}
