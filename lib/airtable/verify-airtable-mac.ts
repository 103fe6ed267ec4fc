import { createHmac, timingSafeEqual } from "node:crypto";

/** X-Airtable-Content-MAC: "hmac-sha256=" + hex HMAC-SHA256 of the raw body, keyed with the decoded secret. */
export function isValidAirtableMac(macSecretBase64: string, rawBody: string, header: string | null): boolean {
  if (!header) return false;
  const expected = Buffer.from(`hmac-sha256=${createHmac("sha256", Buffer.from(macSecretBase64, "base64")).update(rawBody).digest("hex")}`);
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
