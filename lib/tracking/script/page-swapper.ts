// Keeps the page showing the visit's number: swaps what is printed now, and what the page prints
// later (a single-page app's re-render, content parsed after the answer arrived).
import { eachChangedNode } from "./each-changed-node";
import { numberRewriter } from "./number-rewriter";
import { swapNumbersInPage, type Rewrite } from "./swap-numbers-in-page";

export type PageSwapper = {
  /** Shows `number` wherever a `replace` number (or a number shown before) is printed; null puts the page's own back. */
  show(number: string | null, replace: string[]): void;
  /** Swaps the whole page again now. */
  rescan(): void;
};

export function pageSwapper(): PageSwapper {
  let rewrite: Rewrite | undefined;
  let shown: string[] = [];
  const observer = new MutationObserver((records) => {
    try {
      eachChangedNode(records, (node) => swapNumbersInPage(node, rewrite!));
    } catch {}
    // What is left are the records of our own rewrites, which need no second look.
    observer.takeRecords();
  });
  const rescan = () => {
    try {
      if (rewrite) swapNumbersInPage(document, rewrite);
    } catch {}
    observer.takeRecords();
  };

  return {
    show(number, replace) {
      if (!(number || (shown.length && replace.length))) return;
      // A lost lease ends in a new number, or none: the number on the page is then one we put there.
      rewrite = numberRewriter(number ? replace.concat(shown) : shown, number || replace[0]);
      shown = number ? shown.concat(number) : [];
      rescan();
      observer.observe(document, { childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ["href"] });
      if (document.readyState == "loading") document.addEventListener("DOMContentLoaded", rescan);
    },
    rescan,
  };
}
