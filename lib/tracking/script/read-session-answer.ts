// The server's answer to POST /api/track/session, checked before the page is touched: anything
// else (an error page, a proxy's HTML, a half-written body) leaves the page's own number.

export type SessionAnswer = { number: string | null; replace: string[]; heartbeat: number | null };

const E164 = /^\+[1-9]\d{6,14}$/;
const isPhoneNumber = (value: unknown) => typeof value == "string" && E164.test(value);

/** The answer, or undefined when it is not one. */
export function readSessionAnswer(body: unknown): SessionAnswer | undefined {
  const { number, replace, heartbeat } = Object(body) as Partial<SessionAnswer>;
  if (!(number === null || isPhoneNumber(number)) || !Array.isArray(replace) || !replace.every(isPhoneNumber)) return undefined;
  return { number: number!, replace, heartbeat: typeof heartbeat == "number" && heartbeat > 0 ? heartbeat : null };
}
