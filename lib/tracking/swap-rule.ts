import type { Touch } from "./tracking-requests";

const FIELDS = {
  utm_source: "source",
  utm_medium: "medium",
  utm_campaign: "campaign",
  utm_term: "term",
  utm_content: "content",
  referrer: "referrer",
  landing: "landing",
  gclid: "gclid",
  gbraid: "gbraid",
  wbraid: "wbraid",
  fbclid: "fbclid",
  msclkid: "msclkid",
} as const satisfies Record<string, keyof Touch>;

type SwapRuleField = keyof typeof FIELDS;
type Condition = { field: SwapRuleField; test: "equals" | "contains"; value: string };
/** Conditions that must all hold; values are kept lower-cased, as matching ignores case. */
export type SwapRule = Condition[];

export const MAX_SWAP_RULE_LENGTH = 500;

const EQUALS = /^([a-z_]+)\s*=\s*(.+)$/i;
const CONTAINS = /^([a-z_]+)\s+contains\s+(.+)$/i;

/**
 * Reads a config row's Swap Rule, e.g. `utm_campaign=spring-sale and landing contains /promo`:
 * conditions joined by ` and `, each `<field>=<value>` or `<field> contains <text>`, compared
 * without regard to case.
 */
export function parseSwapRule(raw: string): { ok: true; rule: SwapRule } | { ok: false; error: string } {
  if (raw.length > MAX_SWAP_RULE_LENGTH) return { ok: false, error: `is longer than ${MAX_SWAP_RULE_LENGTH} characters` };
  if (/\sor\s/i.test(raw)) return { ok: false, error: 'conditions can only be joined by "and", not "or" (use one row per alternative)' };
  const rule: SwapRule = [];
  for (const part of raw.trim().split(/\s+and(?:\s+|$)/i).map((text) => text.trim())) {
    if (part === "") return { ok: false, error: 'a condition is missing beside an "and"' };
    const contains = CONTAINS.exec(part);
    const match = contains ?? EQUALS.exec(part);
    if (!match) return { ok: false, error: `"${part}" is not <field>=<value> or <field> contains <text>` };
    const field = match[1].toLowerCase();
    if (!Object.hasOwn(FIELDS, field)) return { ok: false, error: `"${match[1]}" is not a field a rule can test (${Object.keys(FIELDS).join(", ")})` };
    rule.push({ field: field as SwapRuleField, test: contains ? "contains" : "equals", value: match[2].trim().toLowerCase() });
  }
  return { ok: true, rule };
}

/** Whether a visit's touch meets every condition of a rule; a field the touch lacks meets none. */
export function matchesSwapRule(rule: SwapRule, touch: Touch): boolean {
  return rule.every(({ field, test, value }) => {
    const actual = touch[FIELDS[field]]?.toLowerCase();
    if (actual === undefined) return false;
    return test === "equals" ? actual === value : actual.includes(value);
  });
}
