// What brought a visitor to the site, read from the landing URL and the referrer. Pure: the page's
// location and referrer are passed in, so it runs the same in a test as in the browser.

// In the order the server classifies them (Google, Bing, Facebook), so a landing with several keeps
// the click id that set its source.
export const CLICK_IDS = ["gclid", "gbraid", "wbraid", "msclkid", "fbclid"] as const;
const UTM_TAGS = ["source", "medium", "campaign", "term", "content"] as const;

export type ClickIdName = (typeof CLICK_IDS)[number];

export type Touch = Partial<Record<(typeof UTM_TAGS)[number] | ClickIdName | "referrer", string>> & {
  landing: string;
  at: number;
};

// The server refuses a touch it would not store (lib/tracking/tracking-requests.ts), and a refused
// touch stays in storage for 30 days: so what it refuses is cut or left out here.
export const MAX_URL_LENGTH = 2048;
const MAX_TAG_LENGTH = 200;
const MAX_CLICK_ID_LENGTH = 500;
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/g;
/** An Android app that opens a link (the Google app, Gmail) refers as android-app://<package>/. */
const REFERRER_SCHEME = /^(https?|android-app):\/\//i;

export function captureTouch(href: string, referrer: string, at: number): Touch {
  const landing = new URL(href);
  const touch: Touch = { landing: href.slice(0, MAX_URL_LENGTH), at };
  const read = (name: Exclude<keyof Touch, "landing" | "at">, param: string, max: number) => {
    const value = (landing.searchParams.get(param) || "").replace(CONTROL_CHARACTERS, "").slice(0, max);
    if (value) touch[name] = value;
  };
  for (const tag of UTM_TAGS) read(tag, "utm_" + tag, MAX_TAG_LENGTH);
  for (const id of CLICK_IDS) read(id, id, MAX_CLICK_ID_LENGTH);
  // A referrer from the site itself is navigation, not where the visit came from.
  if (REFERRER_SCHEME.test(referrer) && new URL(referrer).hostname != landing.hostname) touch.referrer = referrer.slice(0, MAX_URL_LENGTH);
  return touch;
}
