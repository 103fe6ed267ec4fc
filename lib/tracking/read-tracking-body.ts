import type { z } from "zod";
import { describeFirstIssue } from "../http/describe-first-issue";
import { readBoundedBody } from "../http/read-bounded-body";

// The largest honest body: every touch field at its cap, and the page address.
const MAX_BODY_BYTES = 16 * 1024;

/**
 * A tracking request's JSON body (sent as text/plain, so the browser needs no preflight), read
 * up to 16 KB and parsed with a strict schema; otherwise why not, in a line safe to answer with.
 */
export async function readTrackingBody<Body>(request: Request, schema: z.ZodType<Body>): Promise<{ ok: true; data: Body } | { ok: false; error: string }> {
  const body = await readBoundedBody(request, MAX_BODY_BYTES);
  if (body === undefined) return { ok: false, error: `body is larger than ${MAX_BODY_BYTES} bytes` };
  let json: unknown;
  try {
    json = JSON.parse(body.toString("utf8"));
  } catch {
    return { ok: false, error: "body is not JSON" };
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return { ok: true, data: parsed.data };
  return { ok: false, error: describeFirstIssue(parsed.error) };
}
