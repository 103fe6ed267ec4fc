import { createDecipheriv, createECDH, hkdfSync, randomBytes, verify, type ECDH } from "node:crypto";
import type { StandIn } from "./stand-in";

/** A browser's subscription, as PushSubscription.toJSON() gives it to the server. */
export type BrowserSubscription = { endpoint: string; keys: { p256dh: string; auth: string } };

/** A push the service accepted: the payload as the browser would decrypt it, and how it was sent. */
export type DeliveredPush = { endpoint: string; payload: unknown; ttl: number; urgency: string | null; vapidSubject: string };

type Browser = { ecdh: ECDH; publicKey: Buffer; authSecret: Buffer };

const base64url = (bytes: Buffer) => bytes.toString("base64url");

/**
 * A Web Push service (RFC 8030) as browsers' push services answer: a POST to a subscription's
 * endpoint is accepted (201) only with a valid VAPID Authorization (RFC 8292: an ES256 JWT for the
 * endpoint's origin, at most 24 h ahead, signed by the key in `k`, which must be the server's) and
 * an aes128gcm body (RFC 8291) that the subscribing browser's keys decrypt. Unknown endpoints get
 * 404; endpoints marked gone get 410, as after a browser unsubscribes.
 */
export function pushServiceStandIn(options: { origin: string; vapidPublicKey: string }) {
  const browsers = new Map<string, Browser>();
  const gone = new Set<string>();
  const delivered: DeliveredPush[] = [];
  const attempts: string[] = [];
  const load = { inFlight: 0, most: 0 };
  let failing = false;

  const handle: StandIn = async (request) => {
    load.inFlight += 1;
    load.most = Math.max(load.most, load.inFlight);
    try {
      // A real push service answers over the network, never before the sender's other sends began.
      await new Promise((resolve) => setTimeout(resolve, 1));
      return await answer(request);
    } finally {
      load.inFlight -= 1;
    }
  };

  async function answer(request: Request): Promise<Response> {
    const endpoint = request.url;
    attempts.push(endpoint);
    const browser = browsers.get(endpoint);
    if (request.method !== "POST" || !browser) return new Response("no such subscription", { status: 404 });
    if (gone.has(endpoint)) return new Response("subscription expired", { status: 410 });
    if (failing) return new Response("push service unavailable", { status: 503 });

    const vapid = checkVapid(request.headers.get("authorization"), new URL(endpoint).origin);
    if (typeof vapid === "string") return new Response(vapid, { status: 403 });
    const ttl = Number(request.headers.get("ttl"));
    if (!Number.isInteger(ttl) || ttl < 0) return new Response("TTL header required", { status: 400 });
    if (request.headers.get("content-encoding") !== "aes128gcm") return new Response("aes128gcm content encoding required", { status: 415 });

    const body = Buffer.from(await request.arrayBuffer());
    let payload: unknown;
    try {
      payload = JSON.parse(decrypt(body, browser).toString("utf8"));
    } catch (error) {
      return new Response(`undecryptable payload: ${(error as Error).message}`, { status: 400 });
    }
    delivered.push({ endpoint, payload, ttl, urgency: request.headers.get("urgency"), vapidSubject: vapid.sub });
    return new Response(null, { status: 201, headers: { location: `${endpoint}/messages/${randomBytes(8).toString("hex")}` } });
  }

  function checkVapid(authorization: string | null, audience: string): { sub: string } | string {
    const match = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(authorization ?? "");
    if (!match) return "VAPID authorization required";
    const [, token, key] = match;
    if (key !== options.vapidPublicKey) return "not the application server's key";
    const [header, claims, signature] = token.split(".");
    const point = Buffer.from(key, "base64url");
    const signed = verify(
      "sha256",
      Buffer.from(`${header}.${claims}`),
      { key: { kty: "EC", crv: "P-256", x: base64url(point.subarray(1, 33)), y: base64url(point.subarray(33, 65)) }, format: "jwk", dsaEncoding: "ieee-p1363" },
      Buffer.from(signature ?? "", "base64url"),
    );
    if (!signed) return "bad VAPID signature";
    const { alg } = JSON.parse(Buffer.from(header, "base64url").toString()) as { alg?: string };
    const { aud, exp, sub } = JSON.parse(Buffer.from(claims, "base64url").toString()) as { aud?: string; exp?: number; sub?: string };
    const now = Date.now() / 1000;
    if (alg !== "ES256") return "VAPID JWT must be ES256";
    if (aud !== audience) return `VAPID audience must be ${audience}`;
    if (!exp || exp <= now || exp > now + 24 * 3600) return "VAPID expiry must be within 24 hours";
    if (!sub) return "VAPID subject required";
    return { sub };
  }

  return {
    handle,
    /** Every accepted push, decrypted. */
    delivered,
    /** Every endpoint a request was made to, accepted or not. */
    attempts,
    /** The most requests it was answering at once since the last reset. */
    mostAtOnce: () => load.most,
    /** A browser subscribing: new keys and an endpoint on this service. */
    subscribe(): BrowserSubscription {
      const ecdh = createECDH("prime256v1");
      const publicKey = ecdh.generateKeys();
      const authSecret = randomBytes(16);
      const endpoint = `${options.origin}/fcm/send/${randomBytes(12).toString("hex")}`;
      browsers.set(endpoint, { ecdh, publicKey, authSecret });
      return { endpoint, keys: { p256dh: base64url(publicKey), auth: base64url(authSecret) } };
    },
    /** The browser unsubscribed: its endpoint answers 410 Gone from now on. */
    unsubscribe(endpoint: string) {
      gone.add(endpoint);
    },
    /** Answers 503 to every push until `recover()`. */
    fail() {
      failing = true;
    },
    recover() {
      failing = false;
    },
    reset() {
      delivered.length = 0;
      attempts.length = 0;
      load.most = 0;
      failing = false;
    },
  };
}
export type PushServiceStandIn = ReturnType<typeof pushServiceStandIn>;

/** RFC 8291 decryption of a single-record aes128gcm body, as the browser does it. */
function decrypt(body: Buffer, browser: Browser): Buffer {
  const salt = body.subarray(0, 16);
  const keyIdLength = body[20];
  const serverKey = body.subarray(21, 21 + keyIdLength);
  const record = body.subarray(21 + keyIdLength);
  const shared = browser.ecdh.computeSecret(serverKey);
  const keyInfo = Buffer.concat([Buffer.from("WebPush: info\0"), browser.publicKey, serverKey]);
  const ikm = Buffer.from(hkdfSync("sha256", shared, browser.authSecret, keyInfo, 32));
  const contentKey = Buffer.from(hkdfSync("sha256", ikm, salt, Buffer.from("Content-Encoding: aes128gcm\0"), 16));
  const nonce = Buffer.from(hkdfSync("sha256", ikm, salt, Buffer.from("Content-Encoding: nonce\0"), 12));
  const decipher = createDecipheriv("aes-128-gcm", contentKey, nonce);
  decipher.setAuthTag(record.subarray(-16));
  const padded = Buffer.concat([decipher.update(record.subarray(0, -16)), decipher.final()]);
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end -= 1;
  if (padded[end] !== 2) throw new Error("the last record must end with the 0x02 delimiter");
  return padded.subarray(0, end);
}

