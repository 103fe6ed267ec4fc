import { describe, expect, it } from "vitest";
import { classifyVisit, type RuleRow } from "@/lib/tracking/classify-visit";
import { matchesSwapRule, parseSwapRule, type SwapRule } from "@/lib/tracking/swap-rule";
import type { Touch } from "@/lib/tracking/tracking-requests";

const LANDING = "https://www.acmeplumbing.example/";
const touch = (fields: Partial<Touch> = {}): Touch => ({ at: 0, landing: LANDING, ...fields });
const rule = (text: string): SwapRule => {
  const parsed = parseSwapRule(text);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.rule;
};

describe("the built-in sources", () => {
  it.each<[string, Partial<Touch>]>([
    ["Google Ads", { gclid: "Cj0KCQ" }],
    ["Google Ads", { gbraid: "0AAAAA" }],
    ["Google Ads", { wbraid: "CkEKCQ" }],
    ["Google Ads", { source: "Google", medium: "CPC" }],
    ["Google Ads", { gclid: "Cj0KCQ", referrer: "https://www.google.com/" }],
    ["Bing Ads", { msclkid: "5f3c0a" }],
    ["Facebook Ads", { fbclid: "IwAR0" }],
    ["Facebook Ads", { source: "instagram", medium: "paid_social" }],
    ["Facebook Ads", { source: "fb", medium: "paid" }],
    ["Google Organic", { referrer: "https://www.google.com/" }],
    ["Google Organic", { referrer: "https://www.google.co.uk/search?q=plumber" }],
    ["Google Organic", { source: "google", medium: "organic", referrer: "https://www.google.de/" }],
    ["Bing Organic", { referrer: "https://www.bing.com/search?q=plumber" }],
    ["Referral", { referrer: "https://yelp.example/biz/acme" }],
    ["Referral", { referrer: "https://google.evil.example/" }],
    ["Referral", { referrer: "android-app://com.google.android.gm/" }],
    ["Referral", { source: "facebook", medium: "social", referrer: "https://l.facebook.com/" }],
    ["Direct", {}],
    ["Direct", { source: "newsletter", medium: "email" }],
    ["Direct", { source: "google", medium: "organic" }],
    ["Direct", { referrer: "https://www.acmeplumbing.example/about" }],
  ])("%s for %j", (source, fields) => {
    expect(classifyVisit(touch(fields), [])).toBe(source);
  });
});

describe("Swap Rules", () => {
  const rows: RuleRow[] = [
    { source: "Spring Sale", rule: rule("utm_campaign=Spring-Sale") },
    { source: "Promo Pages", rule: rule("landing contains /promo and utm_medium = cpc") },
  ];

  it("come before the built-in sources, the first matching row winning", () => {
    expect(classifyVisit(touch({ gclid: "Cj0", campaign: "spring-sale" }), rows)).toBe("Spring Sale");
    expect(classifyVisit(touch({ gclid: "Cj0", campaign: "spring-sale", medium: "cpc", landing: `${LANDING}PROMO/` }), rows)).toBe("Spring Sale");
    expect(classifyVisit(touch({ gclid: "Cj0", medium: "CPC", landing: `${LANDING}PROMO/` }), rows)).toBe("Promo Pages");
  });

  it("leave the built-in sources to a visit no rule matches, a rule on an absent field matching nothing", () => {
    expect(classifyVisit(touch({ gclid: "Cj0", landing: `${LANDING}promo/` }), rows)).toBe("Google Ads");
    expect(classifyVisit(touch({ landing: undefined, medium: "cpc" }), rows)).toBe("Direct");
  });

  it.each<[string, Partial<Touch>, boolean]>([
    ["utm_source=google", { source: "GOOGLE" }, true],
    ["utm_source=google", { source: "googlemail" }, false],
    ["referrer contains yelp", { referrer: "https://www.Yelp.example/x" }, true],
    ["utm_term contains emergency and utm_content=ad 2", { term: "24h emergency plumber", content: "AD 2" }, true],
    ["utm_term contains emergency and utm_content=ad 2", { term: "24h emergency plumber" }, false],
    ["gclid contains x AND msclkid contains y", { gclid: "x1", msclkid: "y1" }, true],
    ["fbclid contains a", {}, false],
  ])("%s matches %j: %s", (text, fields, matches) => {
    expect(matchesSwapRule(rule(text), touch(fields))).toBe(matches);
  });

  it.each([
    ["utm_campaign", /is not <field>=<value> or <field> contains <text>/],
    ["utm_campaign=", /is not <field>=<value>/],
    ["campaign=spring", /"campaign" is not a field a rule can test/],
    ["utm_source=google or utm_source=bing", /only be joined by "and"/],
    ["utm_source=google and", /a condition is missing/],
    ["and utm_source=google", /"and utm_source=google" is not <field>=<value>/],
    ["x".repeat(501), /longer than 500/],
  ])("refuses %j, saying why", (text, error) => {
    const parsed = parseSwapRule(text);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.error).toMatch(error);
  });
});
