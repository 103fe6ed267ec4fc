// Acme Plumbing's website as supabase/seed.sql sets it up for the tracking script, and the number
// formats a site prints.
import { ACME } from "../inbox/seeded-demo";

export const ACME_SITE = {
  client: "acme-plumbing",
  /** The Primary Number, printed on the site: what the script swaps. */
  printed: "+15125550111",
  /** The catch-all row (Source "Website"): a visit no other row matches, e.g. a direct one. */
  website: ACME.websiteNumber,
  /** The Google Ads pool, leased one per visitor. */
  googleAdsPool: ["+15125550141", "+15125550142", "+15125550143"],
  /** The Google Ads Source row: what a visitor gets when every pool number is leased. */
  poolFallback: ACME.googleAdsNumber,
};

/** The printed number in each way the issue names a site writing it. */
export const PRINTED_FORMATS = ["(512) 555-0111", "512-555-0111", "512.555.0111", "+1 512 555 0111", "512 555 0111", "+15125550111"];

/** `e164` written as `example` is: its digits in the example's places ("(512) 555-0111" → "(512) 555-0101"). */
export function inFormatOf(example: string, e164: string): string {
  const exampleDigits = example.replace(/\D/g, "").length;
  const digits = [...e164.replace(/\D/g, "").slice(-exampleDigits)];
  return example.replace(/\d/g, () => digits.shift()!);
}

/** What a text or link of the site should say once the printed number is swapped for `e164`. */
export function swapped(original: string, e164: string): string {
  // Longest first, so "+1 512 555 0111" is not taken for "512 555 0111" with a stray "+1 ".
  const formats = [...PRINTED_FORMATS].sort((a, b) => b.length - a.length);
  const pattern = new RegExp(formats.map((format) => format.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"), "g");
  return original.replace(pattern, (format) => inFormatOf(format, e164));
}

/** The E.164 number a tel: link dials ("tel:(512) 555-0101" → "+15125550101"), assuming US numbers as the site's are. */
export function dialled(href: string): string {
  const digits = href.replace(/^tel:/, "").replace(/\D/g, "");
  return `+1${digits.slice(-10)}`;
}
