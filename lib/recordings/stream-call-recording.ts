import { z } from "zod";
import type { Viewer } from "../auth/viewer";
import type { Database } from "../db/database";
import { withUserClaims } from "../db/with-user-claims";
import { serverEnv } from "../env";

const callIdSchema = z.uuid();
const recordingSidSchema = z.string().regex(/^RE[0-9a-fA-F]{32}$/);
const byteRange = /^bytes=[\d\s,-]{1,200}$/;

const TWILIO_API = "https://api.twilio.com";
// Long enough for Twilio to start answering; the audio itself may take as long as it takes.
const FIRST_BYTE_DEADLINE_MS = 10_000;
// What the browser may learn about the audio; nothing else from Twilio's answer is passed on.
const FORWARDED_HEADERS = ["content-type", "content-length", "content-range", "accept-ranges", "last-modified", "etag"];

const plain = (status: number, message: string) =>
  new Response(`${message}\n`, { status, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "private, no-store" } });

/**
 * A call's voicemail, streamed from Twilio through us: Twilio's media needs the account's
 * credentials, which never reach the browser. RLS decides whether the viewer may hear the call;
 * a call they cannot see, or one with no recording, is a 404 that says nothing more. The URL is
 * built from the configured Twilio API and the recording's SID, never from a stored URL, so no
 * stored value can send our credentials elsewhere. A Range request gets Twilio's 206 back.
 */
export async function streamCallRecording(
  db: Database,
  viewer: Viewer,
  callId: string,
  request: { range: string | null; signal?: AbortSignal },
): Promise<Response> {
  if (!callIdSchema.safeParse(callId).success) return plain(404, "Not found");
  const [call] = await withUserClaims(db, viewer.claims, (tx) =>
    tx.query<{ recording_sid: string | null }>(
      "select recording_sid from public.calls where id = $1 and ($2::text is null or client_id = $2) and recording_sid is not null",
      [callId, viewer.clientId],
    ),
  );
  const recordingSid = recordingSidSchema.safeParse(call?.recording_sid);
  if (!recordingSid.success) return plain(404, "Not found");

  const { accountSid, authTokens, apiUrl } = serverEnv().twilio;
  if (!accountSid) return plain(503, "Recordings play once a Twilio account is configured (TWILIO_ACCOUNT_SID).");

  const url = new URL(`/2010-04-01/Accounts/${accountSid}/Recordings/${recordingSid.data}.mp3`, apiUrl ?? TWILIO_API);
  // The deadline covers Twilio's answer, not the audio after it, which streams as slowly as the listener.
  const abort = new AbortController();
  const deadline = setTimeout(() => abort.abort(new Error(`no answer within ${FIRST_BYTE_DEADLINE_MS} ms`)), FIRST_BYTE_DEADLINE_MS);
  request.signal?.addEventListener("abort", () => abort.abort(request.signal?.reason), { once: true });
  let upstream: Response;
  try {
    upstream = await fetch(url, {
      headers: {
        authorization: `Basic ${Buffer.from(`${accountSid}:${authTokens[0]}`).toString("base64")}`,
        // Content-Length and Content-Range must describe the bytes we pass on, not a compressed form.
        "accept-encoding": "identity",
        ...(request.range && byteRange.test(request.range) ? { range: request.range } : {}),
      },
      signal: abort.signal,
    });
  } catch (error) {
    console.error(`fetching recording ${recordingSid.data} from Twilio failed: ${(error as Error).message}`);
    return plain(502, "The recording could not be fetched just now. Try again.");
  } finally {
    clearTimeout(deadline);
  }
  if (upstream.status === 404) return plain(404, "Not found");
  if (upstream.status === 416) return new Response(null, { status: 416, headers: pickHeaders(upstream.headers) });
  if (upstream.status !== 200 && upstream.status !== 206) {
    console.error(`Twilio answered ${upstream.status} for recording ${recordingSid.data}`);
    await upstream.body?.cancel();
    return plain(502, "The recording could not be fetched just now. Try again.");
  }
  return new Response(upstream.body, { status: upstream.status, headers: pickHeaders(upstream.headers) });
}

function pickHeaders(from: Headers): Headers {
  const headers = new Headers({ "cache-control": "private, no-store" });
  for (const name of FORWARDED_HEADERS) {
    const value = from.get(name);
    if (value) headers.set(name, value);
  }
  if (!headers.has("accept-ranges")) headers.set("accept-ranges", "bytes");
  return headers;
}
