import { describe, expect, it } from "vitest";
import { captureTouch } from "@/lib/tracking/script/capture-touch";
import { keepVisit, VISIT_LIFETIME_MS } from "@/lib/tracking/script/keep-visit";
import { newVisitorId } from "@/lib/tracking/script/visitor-id";

const DAY = 24 * 60 * 60 * 1000;
const FIRST = Date.UTC(2026, 11, 2, 15);
const organic = (at: number) => captureTouch("https://acmeplumbing.example/", "https://www.google.com/", at);
const paid = (at: number) => captureTouch("https://acmeplumbing.example/?utm_source=google&utm_medium=cpc&gclid=abc", "", at);
const direct = (at: number) => captureTouch("https://acmeplumbing.example/contact", "", at);
const ids = (...values: string[]) => () => values.shift()!;
/** The visit as it would come back from storage. */
const stored = (visit: unknown) => JSON.parse(JSON.stringify(visit));

describe("the visit kept in first-party storage", () => {
  it("starts a visitor with this landing's touch for 30 days when none is stored", () => {
    expect(keepVisit(null, organic(FIRST), FIRST, ids("visitor-one-000000000"))).toEqual({ v: "visitor-one-000000000", t: organic(FIRST), e: FIRST + 30 * DAY });
    expect(VISIT_LIFETIME_MS).toBe(30 * DAY);
  });

  it("keeps the first touch on later unpaid landings while it lasts", () => {
    const first = keepVisit(null, organic(FIRST), FIRST, ids("visitor-one-000000000"));
    const later = keepVisit(stored(first), direct(FIRST + 29 * DAY), FIRST + 29 * DAY, ids("visitor-two-000000000"));
    expect(later).toEqual(first);
  });

  it("lets a paid click replace the first touch, for the same visitor, for 30 days from the click", () => {
    const first = keepVisit(null, organic(FIRST), FIRST, ids("visitor-one-000000000"));
    const click = FIRST + 10 * DAY;
    expect(keepVisit(stored(first), paid(click), click, ids("visitor-two-000000000"))).toEqual({ v: "visitor-one-000000000", t: paid(click), e: click + 30 * DAY });
  });

  it("forgets the visit after 30 days: the next landing is a new first touch", () => {
    const first = keepVisit(null, paid(FIRST), FIRST, ids("visitor-one-000000000"));
    const after = FIRST + 30 * DAY;
    expect(keepVisit(stored(first), direct(after), after, ids("visitor-two-000000000"))).toEqual({ v: "visitor-two-000000000", t: direct(after), e: after + 30 * DAY });
  });

  it("starts afresh from storage it cannot read", () => {
    for (const broken of ["nonsense", 42, { v: "short", t: organic(FIRST), e: FIRST + DAY }, { v: "visitor-one-000000000", t: null, e: FIRST + DAY }, { v: "visitor-one-000000000", t: organic(FIRST) }]) {
      expect(keepVisit(broken, direct(FIRST), FIRST, ids("visitor-new-000000000")).v).toBe("visitor-new-000000000");
    }
  });
});

describe("a visitor id", () => {
  it("is 22 base64url characters, different each time", () => {
    const made = new Set(Array.from({ length: 1000 }, () => newVisitorId()));
    expect(made.size).toBe(1000);
    for (const id of made) expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it("writes the bytes base64 would show as + and / in the url-safe - and _", () => {
    expect(newVisitorId(new Uint8Array(16).fill(0xfb))).toBe("-_v7".repeat(5) + "-w");
  });
});
