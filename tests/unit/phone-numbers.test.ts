import { describe, expect, it } from "vitest";
import { isTextableCaller, isWithheldCaller } from "@/lib/phone/caller-id";
import { formatPhoneForPeople, normalizePhone } from "@/lib/phone/normalize-phone";

describe("normalizePhone", () => {
  it.each(["(512) 555-0134", "512-555-0134", "512.555.0134", "+1 512 555 0134", "1 (512) 555 0134", " +15125550134 "])("reads %s as +15125550134", (typed) => {
    expect(normalizePhone(typed)).toBe("+15125550134");
  });

  it("keeps other countries' numbers written in international form", () => {
    expect(normalizePhone("+44 20 7946 0958")).toBe("+442079460958");
  });

  it.each(["", "555", "call me", "x' , TRUE(), '"])("refuses %j", (typed) => {
    expect(normalizePhone(typed)).toBeUndefined();
  });
});

describe("formatPhoneForPeople", () => {
  it("writes North American numbers the way clients read them", () => {
    expect(formatPhoneForPeople("+15125550134")).toBe("+1 512-555-0134");
  });

  it("writes other numbers in international form", () => {
    expect(formatPhoneForPeople("+442079460958")).toBe("+44 20 7946 0958");
  });
});

describe("withheld callers", () => {
  it.each(["anonymous", "Anonymous", "Restricted", "unknown", "+266696687", "+86282452253", "+8656696", "+2562533", "+7378742833", "", "client:alice"])(
    "%j is withheld and never texted",
    (from) => {
      expect(isWithheldCaller(from)).toBe(true);
      expect(isTextableCaller(from)).toBe(false);
    },
  );

  it("a real E.164 number can be texted", () => {
    expect(isTextableCaller("+15125550134")).toBe(true);
  });
});
