// GET /api/recordings/[callId] as the audio element calls it: signed out is a 401 that names
// nothing; signed in, the route hands the call id and the Range header to the streaming.
import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { GET } from "@/app/api/recordings/[callId]/route";
import type { Viewer } from "@/lib/auth/viewer";
import { getDatabase } from "@/lib/db/get-database";
import { seedDatabase } from "@/lib/db/seed-database";
import { useRemoteServices } from "../support/remote-services";
import { ACME_OFFICE } from "../support/seeded-viewers";
import { silentMp3 } from "../support/stand-ins/twilio-api";
import { sid } from "../support/twilio-webhook";

const signedIn = vi.hoisted(() => ({ viewer: null as Viewer | null }));
vi.mock("@/lib/auth/get-viewer", () => ({ getViewer: async () => signedIn.viewer }));

const { twilioApi } = useRemoteServices();
const SEEDED_ACME_CALL = "CA00000000000000000000000000000001";
const AUDIO = silentMp3(1);
let callId: string;
let recordingSid: string;

beforeAll(async () => {
  const db = await getDatabase();
  await seedDatabase(db, { onlyIfEmpty: true });
  recordingSid = sid("RE");
  [{ id: callId }] = await db.query<{ id: string }>("update public.calls set recording_sid = $2 where call_sid = $1 returning id", [
    SEEDED_ACME_CALL,
    recordingSid,
  ]);
});
beforeEach(() => {
  signedIn.viewer = null;
  twilioApi.addRecording(recordingSid, AUDIO);
});

const get = (headers: Record<string, string> = {}) =>
  GET(new Request(`http://localhost/api/recordings/${callId}`, { headers }), { params: Promise.resolve({ callId }) });

describe("GET /api/recordings/[callId]", () => {
  it("is a 401 for someone signed out, with no audio", async () => {
    const response = await get({ range: "bytes=0-" });
    expect(response.status).toBe(401);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
  });

  it("streams the asked-for bytes to the client whose call it was", async () => {
    signedIn.viewer = ACME_OFFICE;
    const response = await get({ range: "bytes=0-99" });
    expect(response.status).toBe(206);
    expect(response.headers.get("content-range")).toBe(`bytes 0-99/${AUDIO.length}`);
    expect(Buffer.from(await response.arrayBuffer()).equals(AUDIO.subarray(0, 100))).toBe(true);
  });
});
