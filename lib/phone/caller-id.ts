import { E164 } from "./normalize-phone";

// What carriers put in From when the caller withholds their number: "anonymous" and friends, and
// numbers that spell ANONYMOUS or similar on a keypad.
const WITHHELD_WORDS = new Set(["anonymous", "restricted", "unknown", "private", "unavailable", "blocked", ""]);
const WITHHELD_NUMBERS = new Set(["+266696687", "+86282452253", "+8656696", "+2562533", "+7378742833"]);

export function isWithheldCaller(from: string): boolean {
  const value = from.trim();
  return WITHHELD_WORDS.has(value.toLowerCase()) || WITHHELD_NUMBERS.has(value) || !E164.test(value);
}

/** A caller we may text back: a real E.164 number, not a withheld placeholder. */
export function isTextableCaller(from: string): boolean {
  return !isWithheldCaller(from);
}
