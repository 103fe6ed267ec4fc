// Anti-flicker (data-hide="ms"): until the server answers, the visitor must not see the page's own
// number, only to watch it change. Which numbers the answer swaps is not known yet, so everything
// shaped like a phone number is hidden, and the tel: and sms: links. Only visibility (and opacity)
// change, never display: hiding and showing move nothing. A marker attribute and one stylesheet
// rule do the hiding, so the page's own inline styles are never written over, and anything the page
// adds while we wait (a single-page app's render) is hidden as it comes.
//
// Before the first paint the whole page is hidden too, as Google Optimize's snippet did: a swapped
// number of another width reflows its line, and only a page no one has seen yet can take that
// without a visible shift. Once the page has painted, hiding it whole would be the very flash this
// exists to prevent, so then the numbers alone go.
import { eachChangedNode } from "./each-changed-node";
import { SEPARATOR } from "./number-rewriter";
import { forEachSwappableText, PHONE_LINK } from "./swap-numbers-in-page";

const HIDDEN = "data-leadline-hidden";
/** Seven digits or more, written as numbers are: dates and prices hide for a moment too, harmlessly. */
const PHONE_SHAPED = new RegExp(`\\d(?:${SEPARATOR}\\d){6}`);

/** Hides the numbers; the function returned shows them again (they also come back by themselves after `ms`). */
export function hideNumbers(ms: number): () => void {
  if (!(ms > 0)) return () => {};
  const root = document.documentElement;
  const style = document.createElement("style");
  const marked: Element[] = [];
  const hide = (node: Node) =>
    forEachSwappableText(node, (text) => {
      if (!PHONE_SHAPED.test(text.data)) return;
      const element = text.parentElement!;
      element.setAttribute(HIDDEN, "");
      marked.push(element);
    });
  const observer = new MutationObserver((records) => eachChangedNode(records, hide));
  let pageOpacity: [string, string] | undefined;
  let shown = false;
  const reveal = () => {
    if (shown) return;
    shown = true;
    observer.disconnect();
    style.remove();
    marked.forEach((element) => element.removeAttribute(HIDDEN));
    if (pageOpacity) root.style.setProperty("opacity", ...pageOpacity);
  };
  setTimeout(reveal, ms);
  try {
    if (!performance.getEntriesByName("first-contentful-paint").length) {
      pageOpacity = [root.style.getPropertyValue("opacity"), root.style.getPropertyPriority("opacity")];
      root.style.setProperty("opacity", "0", "important");
    }
    style.textContent = `${PHONE_LINK},[${HIDDEN}]{visibility:hidden!important}`;
    (document.head || root).append(style);
    hide(document);
    observer.observe(document, { childList: true, subtree: true, characterData: true });
  } catch {
    reveal();
  }
  return reveal;
}
