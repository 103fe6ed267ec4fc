// Entry point of public/track.js (npm run build:track):
// <script async src="{PUBLIC_BASE_URL}/track.js" data-client="CLIENT_ID"></script>, optionally with
// data-consent="required" and data-hide="800". Nothing here may break the page: every failure
// leaves the page's own number in place, silently.
import { captureTouch, MAX_URL_LENGTH } from "./capture-touch";
import { hideNumbers } from "./hide-numbers";
import { loadVisit } from "./load-visit";
import { pageSwapper } from "./page-swapper";
import { postToApi } from "./post-to-api";
import { readSessionAnswer } from "./read-session-answer";

declare global {
  interface Window {
    Leadline?: { swap(): void; consent(granted: boolean): void };
  }
}

/** Longer than a lease's 30 minutes would let the number go; shorter than a second would flood. */
const clampHeartbeatSeconds = (seconds: number) => Math.min(Math.max(seconds, 1), 1200);
const ignore = () => {};

function startTracking(script: HTMLScriptElement): void {
  const { client, consent, hide } = script.dataset;
  if (!client) return;
  const api = new URL(script.src).origin + "/api/track/";
  // The landing is read now: by the time consent comes, a single-page app may have moved on.
  const touch = captureTouch(location.href, document.referrer, Date.now());
  const swapper = pageSwapper();
  let started = false;

  const begin = () => {
    if (started) return;
    started = true;
    const visit = loadVisit("leadline:" + client, touch);
    const reveal = hideNumbers(Number(hide));
    const heartbeat = (number: string, seconds: number): void => {
      setTimeout(() => {
        postToApi(api + "heartbeat", { client, visitor: visit.v, number })
          // A heartbeat that failed to arrive is tried again; only the server's "not held" ends the number.
          .then((answer) => Object(answer).held !== false, () => true)
          .then((held) => (held ? heartbeat(number, seconds) : askForNumber()))
          .catch(ignore);
      }, clampHeartbeatSeconds(seconds) * 1000);
    };
    const askForNumber = () =>
      postToApi(api + "session", { client, visitor: visit.v, touch: visit.t, page: location.href.slice(0, MAX_URL_LENGTH) })
        .then((body) => {
          const answer = readSessionAnswer(body);
          if (!answer) return;
          swapper.show(answer.number, answer.replace);
          if (answer.number && answer.heartbeat) heartbeat(answer.number, answer.heartbeat);
        })
        .catch(ignore)
        .then(reveal);
    askForNumber();
  };

  window.Leadline = {
    swap: swapper.rescan,
    consent(granted) {
      try {
        if (granted) begin();
      } catch {}
    },
  };
  if (consent != "required") begin();
}

try {
  const script = (document.currentScript || document.querySelector('script[data-client][src*="/track.js"]')) as HTMLScriptElement | null;
  if (script && !window.Leadline) startTracking(script);
} catch {}
