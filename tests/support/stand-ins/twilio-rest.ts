// What every Twilio REST stand-in answers alike: the account's Basic auth, list paging and dates.
import { json } from "./stand-in";

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 1000;

/** Twilio's 401, unless the request is for this account with its SID and token as Basic auth. */
export function refuseUnauthorized(request: Request, accountSidInPath: string, account: { accountSid: string; authToken: string }): Response | undefined {
  const expected = `Basic ${Buffer.from(`${account.accountSid}:${account.authToken}`).toString("base64")}`;
  if (accountSidInPath === account.accountSid && request.headers.get("authorization") === expected) return undefined;
  return json(401, { code: 20003, message: "Authenticate", status: 401 });
}

/**
 * One page, as Twilio pages a list: PageToken names the last record of the page before (so a
 * record added meanwhile does not shift the pages), Page is only its number, and next_page_uri
 * repeats the query with both. At most `pageSizeLimit` records a page, whatever PageSize asks.
 */
export function twilioListPage(url: URL, key: string, records: { sid: string }[], pageSizeLimit = MAX_PAGE_SIZE): Response {
  const query = url.searchParams;
  const pageSize = Math.min(Number(query.get("PageSize") ?? DEFAULT_PAGE_SIZE), pageSizeLimit);
  const page = Number(query.get("Page") ?? 0);
  const token = query.get("PageToken");
  const start = token ? records.findIndex((record) => `PA${record.sid}` === token) + 1 : page * pageSize;
  const items = records.slice(start, start + pageSize);
  const uriWith = (changes: Record<string, string>) => {
    const next = new URLSearchParams(query);
    for (const [name, value] of Object.entries(changes)) next.set(name, value);
    return `${url.pathname}?${next.toString()}`;
  };
  const hasNext = start + pageSize < records.length;
  return json(200, {
    [key]: items,
    page,
    page_size: pageSize,
    start,
    end: start + items.length - 1,
    uri: uriWith({ PageSize: String(pageSize), Page: String(page) }),
    first_page_uri: uriWith({ PageSize: String(pageSize), Page: "0" }),
    previous_page_uri: null,
    next_page_uri: hasNext ? uriWith({ PageSize: String(pageSize), Page: String(page + 1), PageToken: `PA${items.at(-1)!.sid}` }) : null,
  });
}

// Twilio's dates: "Tue, 31 Aug 2010 20:36:28 +0000".
export const rfc2822 = (date: Date) => date.toUTCString().replace("GMT", "+0000");
