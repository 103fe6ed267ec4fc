// The thread as a client user reads it: how the lead first found them in the lead panel (source,
// medium, campaign, term, click id and its type, landing page), and on each call or text that came
// another way, where it came from; nothing at all for a lead nobody knows the origin of.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { beforeAll, describe, expect, it } from "vitest";
import { CallItem } from "@/components/inbox/call-item";
import { LeadPanelForm } from "@/components/inbox/lead-panel-form";
import { TextBubble } from "@/components/inbox/text-bubble";
import type { Viewer } from "@/lib/auth/viewer";
import type { Database } from "@/lib/db/database";
import { getDatabase } from "@/lib/db/get-database";
import { readThread, type CallEntry, type TextEntry, type Thread } from "@/lib/inbox/read-thread";
import { addClientUser } from "../inbox/inbox-lab";
import { at, BRAND_CLICK, GOOGLE_ADS_CLICK, newCaller, openAttributionLab, type AttributionLab } from "./attribution-lab";

let db: Database;
let lab: AttributionLab;
let user: Viewer;
beforeAll(async () => {
  db = await getDatabase();
  lab = await openAttributionLab(db);
  user = await addClientUser(db, lab.clientId);
});

const panelOf = (thread: Thread) => renderToStaticMarkup(createElement(LeadPanelForm, { lead: thread.lead }));
const calls = (thread: Thread) => thread.timeline.filter((entry): entry is CallEntry => entry.kind === "call");
const texts = (thread: Thread) => thread.timeline.filter((entry): entry is TextEntry => entry.kind === "text");
/** The HTML's text, as a reader sees it. */
const visibleText = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/&amp;/g, "&").replace(/\s+/g, " ");

describe("a thread with attribution", () => {
  let thread: Thread;
  beforeAll(async () => {
    const [first, second] = lab.pool;
    const spring = await lab.addVisit(GOOGLE_ADS_CLICK);
    const brand = await lab.addVisit(BRAND_CLICK);
    await lab.lease(first, spring, at("09:00"), at("09:30"));
    await lab.lease(second, brand, at("14:00"), at("14:30"));
    const caller = newCaller();
    await lab.call(first, caller, at("09:10"));
    await lab.call(first, caller, at("09:20"));
    await lab.call(second, caller, at("14:05"));
    await lab.text(lab.website, caller, at("15:00"));
    const [lead] = await db.query<{ id: string }>("select id from public.leads where client_id = $1 and caller = $2", [lab.clientId, caller]);
    thread = (await readThread(db, user, lead.id))!;
  });

  it("gives the lead its first touch", () => {
    expect(thread.lead.firstTouch).toEqual({
      source: "Google Ads",
      medium: "cpc",
      campaign: "spring-sale",
      term: "emergency plumber",
      clickId: { id: "Cj0KCQiA-spring-click", type: "gclid" },
      landingPage: GOOGLE_ADS_CLICK.landingPage,
      referrer: "https://www.google.com/",
    });
  });

  it("shows the first touch in the lead panel, every value as text", () => {
    const html = panelOf(thread);
    const shown = visibleText(html);
    expect(shown).toContain("How they found you");
    for (const [label, value] of [
      ["Source", "Google Ads"],
      ["Medium", "cpc"],
      ["Campaign", "spring-sale"],
      ["Term", "emergency plumber"],
      ["Click ID", "Cj0KCQiA-spring-click (gclid)"],
      ["Landing page", GOOGLE_ADS_CLICK.landingPage!],
      ["Referrer", "https://www.google.com/"],
    ]) {
      expect(shown).toContain(` ${label} ${value} `);
    }
    expect(html).not.toContain(`href="${GOOGLE_ADS_CLICK.landingPage}`);
  });

  it("says where a call or text came from only when that differs from the first touch", () => {
    expect(calls(thread).map((call) => call.cameFrom)).toEqual([null, null, "Google Ads · cpc · brand"]);
    expect(texts(thread).map((text) => text.cameFrom)).toEqual(["Website"]);
    expect(visibleText(renderToStaticMarkup(createElement(CallItem, { call: calls(thread)[2] })))).toContain("From Google Ads · cpc · brand");
    expect(visibleText(renderToStaticMarkup(createElement(CallItem, { call: calls(thread)[0] })))).not.toContain("From ");
    expect(visibleText(renderToStaticMarkup(createElement(TextBubble, { text: texts(thread)[0], forwardedTo: "your phone" })))).toContain("From Website");
  });
});

describe("a thread without attribution", () => {
  it("shows no first touch and no origins", async () => {
    const caller = newCaller();
    // A lead from before attribution: its number had no Source.
    const [{ id }] = await db.query<{ id: string }>(
      `insert into public.leads (lead_key, client_id, caller, tracking_number) values ($1, $2, $3, $4) returning id`,
      [`${lab.clientId}:${caller}`, lab.clientId, caller, lab.website.trackingNumber],
    );
    await db.query(
      `insert into public.calls (call_sid, client_id, lead_id, tracking_number, caller, status, outcome, started_at)
       values ('CA' || md5(random()::text), $1, $2, $3, $4, 'completed', 'answered', now())`,
      [lab.clientId, id, lab.website.trackingNumber, caller],
    );
    const thread = (await readThread(db, user, id))!;

    expect(thread.lead.firstTouch).toBeNull();
    expect(thread.timeline.map((entry) => entry.cameFrom)).toEqual([null]);
    expect(visibleText(panelOf(thread))).not.toContain("How they found you");
  });
});
