// A relay's segments are counted before Twilio's own count is known: carriers split a GSM-7 text
// at 160 characters (153 each once split) and anything else at 70 (67), never mid-character.
import { describe, expect, it } from "vitest";
import { countSmsSegments } from "@/lib/usage/count-sms-segments";

describe("counting a text's segments", () => {
  it.each([
    ["an empty text", "", 1],
    ["160 plain characters", "a".repeat(160), 1],
    ["161 plain characters", "a".repeat(161), 2],
    ["306 plain characters", "a".repeat(306), 2],
    ["307 plain characters", "a".repeat(307), 3],
    ["GSM-7 letters beyond ASCII (é, ñ, £)", `${"é".repeat(100)}${"ñ".repeat(50)}££££££££££`, 1],
    ["80 extension characters (each two units: €, [, ])", "€".repeat(80), 1],
    ["81 extension characters", "€".repeat(81), 2],
    ["306 units where the split would cut an extension character in two", `${"a".repeat(152)}€${"a".repeat(152)}`, 3],
    ["70 characters with one outside GSM-7 (ç)", `ç${"a".repeat(69)}`, 1],
    ["71 characters with one outside GSM-7", `ç${"a".repeat(70)}`, 2],
    ["35 emoji (two UTF-16 units each)", "🙂".repeat(35), 1],
    ["36 emoji", "🙂".repeat(36), 2],
    ["134 units where the split would cut an emoji in two", `${"ç".repeat(66)}🙂${"ç".repeat(66)}`, 3],
  ])("%s: %i", (_name, body, segments) => {
    expect(countSmsSegments(body)).toBe(segments);
  });
});
