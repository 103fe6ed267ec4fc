import { z } from "zod";

/**
 * Where a page of threads ended: the last thread's activity time to the microsecond, as Postgres
 * keeps it (a JavaScript Date would round it and skip or repeat threads), and its id.
 */
export type ThreadCursor = { at: string; id: string };

/** The SQL giving a timestamptz column in the cursor's form. */
export const cursorTimeSql = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

const cursorSchema = z.tuple([z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/), z.uuid()]);

// Opaque in the URL so nobody builds one by hand; it carries no more than the page already shows.
export function encodeThreadCursor(cursor: ThreadCursor): string {
  return Buffer.from(JSON.stringify([cursor.at, cursor.id])).toString("base64url");
}

/** The cursor, or undefined for one that was not ours (a tampered or truncated URL starts over). */
export function decodeThreadCursor(text: string | undefined): ThreadCursor | undefined {
  if (!text) return undefined;
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(Buffer.from(text, "base64url").toString("utf8")));
    return parsed.success ? { at: parsed.data[0], id: parsed.data[1] } : undefined;
  } catch {
    return undefined;
  }
}
