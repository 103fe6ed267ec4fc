// The setup both push test files share: VAPID keys set, the push-service stand-in behind msw (with
// any other services a test's routes call), the seeded agency, and one subscribed browser per
// viewer given.
import { http, type HttpHandler } from "msw";
import { setupServer } from "msw/node";
import webPush from "web-push";
import { afterAll, afterEach, beforeAll } from "vitest";
import type { Viewer } from "@/lib/auth/viewer";
import { getDatabase } from "@/lib/db/get-database";
import { seedDatabase } from "@/lib/db/seed-database";
import { savePushSubscription } from "@/lib/push/save-push-subscription";
import { pushServiceStandIn, type BrowserSubscription } from "../support/stand-ins/push-service";

const PUSH_SERVICE_ORIGIN = "https://fcm.googleapis.com";

export function usePushService(viewers: Viewer[], otherServices: HttpHandler[] = []) {
  const vapid = webPush.generateVAPIDKeys();
  const vapidEnv = { NEXT_PUBLIC_VAPID_PUBLIC_KEY: vapid.publicKey, VAPID_PRIVATE_KEY: vapid.privateKey, VAPID_SUBJECT: "mailto:ops@northwind.test" };
  // Chrome's push service (FCM): only browsers' push services are accepted as endpoints.
  const pushService = pushServiceStandIn({ origin: PUSH_SERVICE_ORIGIN, vapidPublicKey: vapid.publicKey });
  const server = setupServer(http.all(`${PUSH_SERVICE_ORIGIN}/*`, ({ request }) => pushService.handle(request)), ...otherServices);
  const browsers = new Map<Viewer, BrowserSubscription>();
  const turnPushOff = () => {
    for (const key of Object.keys(vapidEnv)) delete process.env[key];
  };

  beforeAll(async () => {
    server.listen({ onUnhandledFrame: "error" });
    Object.assign(process.env, vapidEnv);
    const db = await getDatabase();
    await seedDatabase(db, { onlyIfEmpty: true });
    // The seed's demo leads are no news to these browsers.
    await db.query("delete from internal.push_alerts");
    for (const viewer of viewers) {
      const browser = pushService.subscribe();
      await savePushSubscription(db, viewer, browser);
      browsers.set(viewer, browser);
    }
  });
  afterEach(() => {
    pushService.reset();
    Object.assign(process.env, vapidEnv);
  });
  afterAll(() => {
    server.close();
    turnPushOff();
  });

  return {
    pushService,
    vapidSubject: vapidEnv.VAPID_SUBJECT,
    endpointOf: (viewer: Viewer) => browsers.get(viewer)!.endpoint,
    /** The thread links pushed, sorted. */
    pushedUrls: () => pushService.delivered.map((push) => (push.payload as { url: string }).url).sort(),
    turnPushOff,
    turnPushOn: () => Object.assign(process.env, vapidEnv),
  };
}
