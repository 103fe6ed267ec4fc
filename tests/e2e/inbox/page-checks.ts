// What the scenarios ask of a page, in a user's terms: a thread's row, a control's chosen value,
// text a page must not reveal.
import type { Locator, Page } from "playwright-core";

const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** A thread in the inbox list: a link whose accessible name holds the caller's number as shown. */
export const threadLink = (page: Page, shownNumber: string): Locator => page.getByRole("link", { name: new RegExp(escaped(shownNumber)) });

/** Chooses an option of a labelled control, whether a native <select> or a listbox-style combobox. */
export async function choose(control: Locator, option: string): Promise<void> {
  if ((await control.evaluate((element) => element.tagName)) === "SELECT") {
    await control.selectOption({ label: option });
    return;
  }
  await control.click();
  await control.page().getByRole("option", { name: option, exact: true }).click();
}

/** What a labelled control shows as chosen. */
export async function chosen(control: Locator): Promise<string> {
  return control.evaluate((element) =>
    element instanceof HTMLSelectElement ? (element.selectedOptions[0]?.textContent ?? "").trim() : (element.textContent ?? "").trim(),
  );
}

/**
 * Fails when what the server sends for `path` to this browser (the HTML and the React payload in it)
 * holds any of `secrets`. Asked of the server rather than read from the page, which after a
 * client-side navigation still holds the payload of the page before.
 */
export async function assertRevealsNone(page: Page, path: string, secrets: string[], what: string): Promise<void> {
  const html = await (await page.context().request.get(path)).text();
  const found = secrets.filter((secret) => html.includes(secret));
  if (found.length > 0) throw new Error(`${what} reveals ${found.map((secret) => `"${secret}"`).join(", ")}`);
}

/** Sets a mark on the window that only a full page load removes, to prove an update came without one. */
export const markWindow = (page: Page) => page.evaluate(() => Object.assign(window, { __e2eSamePage: true }));
export async function assertNotReloaded(page: Page, what: string): Promise<void> {
  const same = await page.evaluate(() => (window as unknown as { __e2eSamePage?: boolean }).__e2eSamePage === true);
  if (!same) throw new Error(`${what} came with a full page reload`);
}
