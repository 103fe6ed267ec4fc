// Every new lead makes the server POST to every stored endpoint, so what a signed-in user may
// store is limited: only browsers' push services, written only by the "Turn on notifications"
// action as the server's role, at most 10 per user; and signing out forgets this browser's. The
// action runs as Next would call it, with one browser's cookies behind next/headers and the
// development sign-in; the database's own rules are checked on the same (embedded) database.
import { beforeEach, describe, expect, it, vi } from "vitest";
import { signOut } from "@/app/auth/actions";
import { signInForDevelopment } from "@/app/login/actions";
import { turnOnPush } from "@/components/push/push-subscription-actions";
import { withUserClaims } from "@/lib/db/with-user-claims";
import { browser } from "../auth/browser-cookies";
import { formData } from "../auth/form-data";
import { redirectOf } from "../auth/redirect-of";
import { useSeededDatabase } from "../auth/use-seeded-database";
import { ACME_OFFICE, BRIGHT_FRONT_DESK } from "../support/seeded-viewers";
import { pushServiceStandIn, type BrowserSubscription } from "../support/stand-ins/push-service";

vi.mock("next/headers", async () => ({ cookies: async () => (await import("../auth/browser-cookies")).browser }));

const seeded = useSeededDatabase();
const chrome = pushServiceStandIn({ origin: "https://fcm.googleapis.com", vapidPublicKey: "unused" });
const subscriptionAt = (endpoint: string): BrowserSubscription => ({ endpoint, keys: chrome.subscribe().keys });
const storedFor = async (userId: string) =>
  (await seeded.db.query<{ endpoint: string }>("select endpoint from public.push_subscriptions where user_id = $1 order by created_at", [userId])).map(
    (row) => row.endpoint,
  );

beforeEach(async () => {
  browser.clear();
  await seeded.db.query("delete from public.push_subscriptions");
  await redirectOf(() => signInForDevelopment(formData({ userId: ACME_OFFICE.userId })));
});

describe("turning on notifications", () => {
  it.each([
    "https://fcm.googleapis.com/fcm/send/dGVzdA:APA91b",
    "https://updates.push.services.mozilla.com/wpush/v2/gAAAAABl",
    "https://web.push.apple.com/QGx5mXKH3fE",
    "https://wns2-par02p.notify.windows.com/w/?token=BQYAAAD",
  ])("keeps a subscription on a browser's push service: %s", async (endpoint) => {
    expect(await turnOnPush(subscriptionAt(endpoint))).toEqual({ ok: true });
    expect(await storedFor(ACME_OFFICE.userId)).toEqual([endpoint]);
  });

  it.each([
    "https://attacker.example/fcm/send/abc",
    "https://fcm.googleapis.com.attacker.example/fcm/send/abc",
    "https://fcm.googleapis.com@attacker.example/fcm/send/abc",
    "https://fcm.googleapis.com:8443/fcm/send/abc",
    "https://push.services.mozilla.com.attacker.example/wpush/v2/abc",
    "https://10.0.0.7/fcm/send/abc",
    "http://fcm.googleapis.com/fcm/send/abc",
  ])("refuses one on any other host, storing nothing: %s", async (endpoint) => {
    expect(await turnOnPush(subscriptionAt(endpoint))).toEqual({ ok: false });
    expect(await seeded.db.query("select 1 from public.push_subscriptions")).toEqual([]);
  });

  it("keeps at most 10 browsers a user, forgetting the least recently subscribed", async () => {
    const browsers = Array.from({ length: 12 }, () => chrome.subscribe());
    for (const subscription of browsers) expect(await turnOnPush(subscription)).toEqual({ ok: true });
    expect(await storedFor(ACME_OFFICE.userId)).toEqual(browsers.slice(2).map((subscription) => subscription.endpoint));

    // Subscribing a kept browser again makes it the newest; it is not counted twice.
    expect(await turnOnPush(browsers[2])).toEqual({ ok: true });
    expect(await storedFor(ACME_OFFICE.userId)).toEqual([...browsers.slice(3), browsers[2]].map((subscription) => subscription.endpoint));
  });
});

describe("the database, whoever writes to it", () => {
  const insert = "insert into public.push_subscriptions (endpoint, user_id, p256dh, auth) values ($1, $2, 'key', 'secret')";

  it("refuses an endpoint on any host but a push service's, even from the server's own role", async () => {
    await expect(seeded.db.query(insert, ["https://attacker.example/fcm/send/abc", ACME_OFFICE.userId])).rejects.toMatchObject({ code: "23514" });
    await expect(seeded.db.query(insert, ["https://fcm.googleapis.com:8443/fcm/send/abc", ACME_OFFICE.userId])).rejects.toMatchObject({ code: "23514" });
  });

  it("keeps at most 10 a user, even written directly by the server's role", async () => {
    const endpoints = Array.from({ length: 11 }, () => chrome.subscribe().endpoint);
    for (const endpoint of endpoints) await seeded.db.query(insert, [endpoint, BRIGHT_FRONT_DESK.userId]);
    expect(await storedFor(BRIGHT_FRONT_DESK.userId)).toEqual(endpoints.slice(1));
  });

  it("forgets the first subscribed of 11 even when all arrive in one instant (one transaction: one now())", async () => {
    const endpoints = Array.from({ length: 11 }, () => chrome.subscribe().endpoint);
    await seeded.db.transaction(async (tx) => {
      for (const endpoint of endpoints) await tx.query(insert, [endpoint, BRIGHT_FRONT_DESK.userId]);
    });
    expect(await storedFor(BRIGHT_FRONT_DESK.userId)).toEqual(endpoints.slice(1));
  });

  it("refuses a signed-in user's own insert or update through the Data API; reading and deleting their own still work", async () => {
    const mine = chrome.subscribe().endpoint;
    expect(await turnOnPush(subscriptionAt(mine))).toEqual({ ok: true });
    const asAcme = <T>(sql: string, params: unknown[]) => withUserClaims(seeded.db, ACME_OFFICE.claims, (tx) => tx.query<T & Record<string, unknown>>(sql, params));

    await expect(asAcme(insert, [chrome.subscribe().endpoint, ACME_OFFICE.userId])).rejects.toMatchObject({ code: "42501", message: expect.stringMatching(/permission denied/) });
    await expect(asAcme("update public.push_subscriptions set p256dh = 'other' where endpoint = $1", [mine])).rejects.toMatchObject({
      code: "42501",
      message: expect.stringMatching(/permission denied/),
    });
    expect(await storedFor(ACME_OFFICE.userId)).toEqual([mine]);

    expect(await asAcme("select endpoint from public.push_subscriptions", [])).toEqual([{ endpoint: mine }]);
    expect(await asAcme("delete from public.push_subscriptions where endpoint = $1 returning endpoint", [mine])).toEqual([{ endpoint: mine }]);
  });
});

describe("signing out", () => {
  it("forgets this browser's subscription, so the next person here gets none of this user's leads", async () => {
    const here = chrome.subscribe();
    const elsewhere = chrome.subscribe();
    await turnOnPush(here);
    await turnOnPush(elsewhere);

    expect(await redirectOf(() => signOut(formData({ pushEndpoint: here.endpoint })))).toBe("/login");

    expect(await storedFor(ACME_OFFICE.userId)).toEqual([elsewhere.endpoint]);
  });

  it("forgets only the signed-in user's own: another user's endpoint posted with it stays", async () => {
    await redirectOf(() => signInForDevelopment(formData({ userId: BRIGHT_FRONT_DESK.userId })));
    const bright = chrome.subscribe();
    await turnOnPush(bright);
    await redirectOf(() => signInForDevelopment(formData({ userId: ACME_OFFICE.userId })));

    expect(await redirectOf(() => signOut(formData({ pushEndpoint: bright.endpoint })))).toBe("/login");

    expect(await storedFor(BRIGHT_FRONT_DESK.userId)).toEqual([bright.endpoint]);
  });
});
