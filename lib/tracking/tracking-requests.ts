import { z } from "zod";
import { E164 } from "../phone/normalize-phone";

// Anything a page sends is stored or shown to staff later, so every string is capped, holds no
// control characters (PostgreSQL refuses NUL outright), and the addresses are web (or app) URLs: a
// `javascript:` landing page must never reach the inbox as a link.
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;
const text = (max: number) =>
  z
    .string()
    .max(max, `must be at most ${max} characters`)
    .refine((value) => !CONTROL_CHARACTERS.test(value), "must not hold control characters");
const address = (schemes: RegExp, message: string) => text(2048).refine((value) => schemes.test(value) && URL.canParse(value), message);
const webAddress = address(/^https?:\/\//i, "must be an http(s) URL");
/** Left out, null and "" all mean the page has no such value. */
const optional = (schema: z.ZodType<string>) =>
  schema
    .nullish()
    .transform((value) => value || undefined)
    .optional();

export const touchSchema = z.strictObject({
  source: optional(text(200)),
  medium: optional(text(200)),
  campaign: optional(text(200)),
  term: optional(text(200)),
  content: optional(text(200)),
  gclid: optional(text(500)),
  gbraid: optional(text(500)),
  wbraid: optional(text(500)),
  fbclid: optional(text(500)),
  msclkid: optional(text(500)),
  // An Android app that opens a link (the Google app, Gmail) refers as android-app://<package>/.
  referrer: optional(address(/^(https?|android-app):\/\//i, "must be an http(s) or android-app URL")),
  landing: optional(webAddress),
  /** When the visitor landed, epoch ms by the browser's clock (clamped to the server's now when stored). */
  at: z.int().min(0).max(Date.UTC(2100, 0, 1)),
});
export type Touch = z.infer<typeof touchSchema>;

const clientId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, "must be a client id");
const visitorId = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, "must be 16 to 64 base64url characters");

export const trackSessionSchema = z.strictObject({
  client: clientId,
  visitor: visitorId,
  touch: touchSchema,
  page: webAddress,
});
export type TrackSession = z.infer<typeof trackSessionSchema>;

export const trackHeartbeatSchema = z.strictObject({
  client: clientId,
  visitor: visitorId,
  number: z.string().regex(E164, "must be an E.164 number"),
});
export type TrackHeartbeat = z.infer<typeof trackHeartbeatSchema>;
