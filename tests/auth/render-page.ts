import type { ReactElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";

/** A server page's HTML, as the browser would get it (its client islands rendered on the server). */
export async function renderPage(page: Promise<ReactElement> | ReactElement): Promise<string> {
  return renderToStaticMarkup(await page);
}
