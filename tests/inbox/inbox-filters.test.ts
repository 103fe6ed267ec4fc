// The inbox's URL and the lead panel's form, as people type them.
import { describe, expect, it } from "vitest";
import { inboxQueryString, parseInboxSearchParams } from "@/lib/inbox/inbox-filters";
import { leadChangesSchema } from "@/lib/inbox/update-lead";

describe("the inbox URL", () => {
  it("reads every filter, the first of a repeated one, and the page's cursor", () => {
    expect(
      parseInboxSearchParams({ client: "bright-smiles", status: ["Won", "Lost"], source: "Google Ads", missed: "1", from: "2026-11-01", to: "2026-11-30", q: " 555-0134 ", cursor: "abc" }),
    ).toEqual({
      filters: { client: "bright-smiles", status: "Won", source: "Google Ads", missed: true, from: "2026-11-01", to: "2026-11-30", q: "555-0134" },
      cursor: "abc",
    });
  });

  it("drops what makes no sense instead of failing the page: blanks, unknown statuses, impossible days", () => {
    const { filters, cursor } = parseInboxSearchParams({ client: "../x", status: "Bogus", source: "", missed: "no", from: "2026-02-30", to: "yesterday", q: "   " });
    expect(filters).toEqual({});
    expect(cursor).toBeUndefined();
  });

  it("writes the filters back into a URL that reads the same, with or without a page", () => {
    const filters = { status: "New" as const, missed: true as const, q: "(512) 555-0134" };
    const query = inboxQueryString(filters, "next-page");
    expect(parseInboxSearchParams(Object.fromEntries(new URLSearchParams(query.slice(1))))).toEqual({ filters, cursor: "next-page" });
    expect(inboxQueryString({})).toBe("");
  });
});

describe("the lead panel's fields", () => {
  it("takes a value typed with a dollar sign and commas, rounded to cents", () => {
    expect(leadChangesSchema.parse({ value: "$1,250.499" })).toEqual({ value: 1250.5 });
  });

  it("clears a field left blank, and leaves alone a field not sent", () => {
    expect(leadChangesSchema.parse({ name: "  ", value: "", notes: "" })).toEqual({ name: null, value: null, notes: null });
    expect(leadChangesSchema.parse({ status: "Won" })).toEqual({ status: "Won" });
  });

  it.each([
    [{ status: "Maybe" }, "Choose one of the statuses."],
    [{ value: "a lot" }, "A value is an amount, like 1250 or 1250.50."],
    [{ value: "-5" }, "A value cannot be negative."],
    [{ name: "x".repeat(201) }, "A name is at most 200 characters."],
  ])("refuses %j, saying why", (fields, message) => {
    const parsed = leadChangesSchema.safeParse(fields);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0].message).toBe(message);
  });
});
