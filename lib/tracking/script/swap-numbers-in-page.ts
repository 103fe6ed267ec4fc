// Rewrites the numbers printed under a node: its text, and the tel: and sms: links that dial or
// text them (a text to a pool number is attributed to its visit too).

export type Rewrite = (text: string) => string;

/** Text a visitor types, or code, is the page's own business. */
const UNTOUCHED = "script,style,textarea";
export const PHONE_LINK = 'a[href^="tel:" i],a[href^="sms:" i]';

function swappable(node: Text): boolean {
  const parent = node.parentElement;
  return !!parent && !parent.closest(UNTOUCHED) && !parent.isContentEditable;
}

/** Calls `visit` with each text node at or under `root` whose numbers the script may rewrite. */
export function forEachSwappableText(root: Node, visit: (node: Text) => void): void {
  if (root instanceof Text) {
    if (swappable(root)) visit(root);
    return;
  }
  if (!(root instanceof Element || root instanceof Document)) return;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node; (node = walker.nextNode() as Text | null); ) if (swappable(node)) visit(node);
}

function swapText(node: Text, rewrite: Rewrite): void {
  const text = rewrite(node.data);
  // Writing only what changed keeps the page's own mutation observers (and ours) quiet.
  if (text != node.data) node.data = text;
}

function swapLink(link: Element, rewrite: Rewrite): void {
  const href = link.getAttribute("href")!;
  const next = rewrite(href);
  if (next != href) link.setAttribute("href", next);
}

export function swapNumbersInPage(root: Node, rewrite: Rewrite): void {
  forEachSwappableText(root, (node) => swapText(node, rewrite));
  if (!(root instanceof Element || root instanceof Document)) return;
  if (root instanceof Element && root.matches(PHONE_LINK)) swapLink(root, rewrite);
  root.querySelectorAll(PHONE_LINK).forEach((link) => swapLink(link, rewrite));
}
