// Finds a phone number however a page prints it ("(512) 555-0134", "512.555.0134", "+1 512 555 0134",
// "1-512-555-0134", "+15125550134", "020 7946 0018") and rewrites its digits in place, so the page's
// punctuation and spacing stay as they were. Pure: runs on strings, the DOM walk is elsewhere.

/** What may sit between two digits of one printed number. */
export const SEPARATOR = "[\\s().\\/-]{0,3}";
// ITU country codes of one or two digits; all others have three.
const SHORT_COUNTRY_CODE = /^(1|7|2[07]|3[0-469]|4[013-9]|5[1-8]|6[0-6]|8[1246]|9[0-58])/;

/** "+15125550134" -> ["1", "5125550134"]: country code and national number. */
function splitNumber(e164: string): [string, string] {
  const digits = e164.slice(1);
  const countryCode = (SHORT_COUNTRY_CODE.exec(digits) || [digits.slice(0, 3)])[0];
  return [countryCode, digits.slice(countryCode.length)];
}

const spread = (digits: string) => digits.split("").join(SEPARATOR);

/**
 * A function that rewrites every printed occurrence of the `from` numbers (E.164) into `to`, with or
 * without its country code, and outside NANP with or without the trunk 0. A number is only
 * matched as a whole digit run: "15125550134" is not found inside "915125550134".
 */
export function numberRewriter(from: string[], to: string): (text: string) => string {
  const [toCountry, toNational] = splitNumber(to);
  const olds = from.filter((number) => number != to).map(splitNumber);
  if (!olds.length) return (text) => text;
  const printed = olds.map(
    ([country, national]) => `(?:\\+?${spread(country)}${SEPARATOR})?${country == "1" ? "" : `(?:0${SEPARATOR})?`}${spread(national)}`,
  );
  // A capture of the character before, not a lookbehind, which older Safari lacks; an opening
  // bracket belongs to the number, so a number printed whole takes its place too.
  const pattern = new RegExp(`(^|\\D)(\\(?(?:${printed.join("|")}))(?!\\d)`, "g");

  return (text) =>
    text.replace(pattern, (_, before: string, shown: string) => {
      const digits = shown.replace(/\D/g, "");
      let next = "";
      for (const [country, national] of olds) {
        if (digits == country + national) next = toCountry + toNational;
        else if (!next && country == toCountry && digits.endsWith(national)) next = digits.slice(0, -national.length) + toNational;
      }
      // A number of another length cannot take the page's layout: print it whole.
      if (next.length != digits.length) return before + to;
      let at = 0;
      return before + shown.replace(/\d/g, () => next[at++]);
    });
}
