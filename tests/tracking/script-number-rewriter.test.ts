import { describe, expect, it } from "vitest";
import { numberRewriter } from "@/lib/tracking/script/number-rewriter";
import { PRINTED_FORMATS } from "./script-printed-formats";

const toTracking = numberRewriter(["+15125550134"], "+15125550121");

describe("swapping a printed number for the tracking number", () => {
  it.each<readonly [printed: string, swapped: string]>([
    ...PRINTED_FORMATS,
    ["+1 (512) 555-0134", "+1 (512) 555-0121"],
    ["5125550134", "5125550121"],
    ["tel:+15125550134", "tel:+15125550121"],
    ["tel:512-555-0134", "tel:512-555-0121"],
  ])("keeps the layout of %s", (printed, swapped) => {
    expect(toTracking(printed)).toBe(swapped);
  });

  it("swaps every occurrence in a sentence and leaves the words around them", () => {
    expect(toTracking("Call (512) 555-0134 today, or text 512.555.0134.")).toBe("Call (512) 555-0121 today, or text 512.555.0121.");
  });

  it("leaves a longer digit run that merely contains the number", () => {
    for (const text of ["95125550134", "51255501349", "+915125550134", "512-555-01345", "order #5125550134123"]) expect(toTracking(text)).toBe(text);
  });

  it("finds the number beside another group of digits", () => {
    expect(toTracking("Suite 2 512-555-0134")).toBe("Suite 2 512-555-0121");
  });

  it("leaves other numbers, and numbers that differ in one digit", () => {
    for (const text of ["(512) 555-0135", "512-555-013", "Suite 512, 555 Main St", "Open 9-5, 555-0134"]) expect(toTracking(text)).toBe(text);
  });

  it("swaps each of several printed numbers (Website Numbers) for the one number", () => {
    const rewrite = numberRewriter(["+15125550134", "+18005550199"], "+15125550121");
    expect(rewrite("Austin 512-555-0134 · Toll free (800) 555-0199")).toBe("Austin 512-555-0121 · Toll free (512) 555-0121");
  });

  it("writes nothing new into text it already swapped", () => {
    expect(toTracking(toTracking("(512) 555-0134"))).toBe("(512) 555-0121");
    expect(numberRewriter(["+15125550121"], "+15125550121")("(512) 555-0121")).toBe("(512) 555-0121");
  });

  it("keeps an international layout, with and without the trunk 0", () => {
    const rewrite = numberRewriter(["+442079460018"], "+442079460777");
    expect(rewrite("+44 20 7946 0018")).toBe("+44 20 7946 0777");
    expect(rewrite("020 7946 0018")).toBe("020 7946 0777");
    expect(rewrite("(0)20-7946-0018")).toBe("(0)20-7946-0777");
  });

  it("prints a number of another length whole, since it cannot take the page's layout", () => {
    expect(numberRewriter(["+15125550134"], "+442079460018")("Call (512) 555-0134 now")).toBe("Call +442079460018 now");
  });
});
