import { describe, expect, it } from "vitest";
import { escapeFormulaString } from "@/lib/airtable/escape-formula-string";

describe("escapeFormulaString", () => {
  it("wraps a plain value in single quotes", () => {
    expect(escapeFormulaString("15125550134")).toBe("'15125550134'");
  });

  it("keeps an injected quote inside the string", () => {
    expect(escapeFormulaString("x' , TRUE(), '")).toBe("'x\\' , TRUE(), \\''");
  });

  it("escapes backslashes before quotes, so a trailing backslash cannot unescape the closing quote", () => {
    expect(escapeFormulaString("a\\")).toBe("'a\\\\'");
    expect(escapeFormulaString("\\'")).toBe("'\\\\\\''");
  });
});
