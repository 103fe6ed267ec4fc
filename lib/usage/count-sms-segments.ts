// The GSM 03.38 alphabet: one 7-bit unit each, or two for the extension table (an escape first).
const GSM_BASIC = new Set(
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà",
);
const GSM_EXTENSION = new Set("\f^{}\\[~]|€");

const GSM = { single: 160, perSegment: 153 };
const UCS2 = { single: 70, perSegment: 67 };

/**
 * How many segments a text takes, as carriers count them: GSM-7 when every character is in its
 * alphabet (160 in one segment, 153 per segment beyond), otherwise UCS-2 (70, then 67 UTF-16 units).
 * A character is never split across two segments. Used until Twilio's own count of a text we sent
 * is known from its message log; Twilio may encode a few look-alike characters differently.
 */
export function countSmsSegments(body: string): number {
  const characters = [...body];
  if (characters.length === 0) return 1;
  const gsm = characters.every((character) => GSM_BASIC.has(character) || GSM_EXTENSION.has(character));
  const units = gsm ? characters.map((character) => (GSM_EXTENSION.has(character) ? 2 : 1)) : characters.map((character) => character.length);
  const limits = gsm ? GSM : UCS2;
  const total = units.reduce((sum, unit) => sum + unit, 0);
  if (total <= limits.single) return 1;
  let segments = 1;
  let used = 0;
  for (const unit of units) {
    if (used + unit > limits.perSegment) {
      segments += 1;
      used = 0;
    }
    used += unit;
  }
  return segments;
}
