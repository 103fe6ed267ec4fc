import { parsePhoneNumberFromString } from "libphonenumber-js/max";

export const E164 = /^\+[1-9]\d{6,14}$/;

/**
 * Turns a hand-typed number ("(512) 555-0134", "512.555.0134", "+1 512 555 0134") into E.164,
 * reading numbers without a country code as US ones. Returns undefined when it is not a
 * possible phone number.
 */
export function normalizePhone(raw: string, defaultCountry: "US" = "US"): string | undefined {
  const trimmed = raw.trim();
  if (trimmed === "") return undefined;
  const parsed = parsePhoneNumberFromString(trimmed, defaultCountry);
  if (!parsed?.isPossible()) return undefined;
  return parsed.number;
}

const NANP = /^\+1(\d{3})(\d{3})(\d{4})$/;

/** A North American number in the layout given, any other in international form. */
export function formatPhone(e164: string, nanp: (area: string, exchange: string, line: string) => string): string {
  const match = NANP.exec(e164);
  if (match) return nanp(match[1], match[2], match[3]);
  return parsePhoneNumberFromString(e164)?.formatInternational() ?? e164;
}

/** "+15125550134" -> "+1 512-555-0134": how a client sees a lead's number in a relayed text. */
export function formatPhoneForPeople(e164: string): string {
  return formatPhone(e164, (area, exchange, line) => `+1 ${area}-${exchange}-${line}`);
}
