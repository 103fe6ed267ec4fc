// A voicemail plays in the inbox through our server: the audio comes from Twilio's media URL (the
// Twilio stand-in behind msw, which checks the account's Basic auth), a Range request gets a 206,
// and a call the viewer may not see, or with no recording, is a 404 that reveals nothing.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { POST as status } from "@/app/api/twilio/status/route";
import { POST as voice } from "@/app/api/twilio/voice/route";
import { getDatabase } from "@/lib/db/get-database";
import { seedDatabase } from "@/lib/db/seed-database";
import { streamCallRecording } from "@/lib/recordings/stream-call-recording";
import { settleDeferredWork } from "../support/deferred-work";
import { useRemoteServices } from "../support/remote-services";
import { ACME_OFFICE, AGENCY_OWNER, BRIGHT_FRONT_DESK } from "../support/seeded-viewers";
import { silentMp3 } from "../support/stand-ins/twilio-api";
import { phoneNumber } from "../support/tracking-numbers";
import { sid, twilioRequest } from "../support/twilio-webhook";

const ACME_TRACKING = "+15125550100";
const AUDIO = silentMp3(2);
const { twilioApi } = useRemoteServices();

beforeAll(async () => {
  await seedDatabase(await getDatabase(), { onlyIfEmpty: true });
});

const savedAccountSid = process.env.TWILIO_ACCOUNT_SID;
afterEach(() => {
  process.env.TWILIO_ACCOUNT_SID = savedAccountSid;
});

/** A missed call to Acme whose caller leaves a voicemail, as Twilio reports it; returns the call's id. */
async function voicemailCall(options: { recorded: boolean } = { recorded: true }): Promise<string> {
  const call = { CallSid: sid("CA"), From: phoneNumber(), To: ACME_TRACKING };
  await voice(twilioRequest("/api/twilio/voice", call));
  await status(twilioRequest("/api/twilio/status?event=dial", { ...call, DialCallStatus: "no-answer", DialBridged: "false" }));
  const recordingSid = sid("RE");
  if (options.recorded) {
    await status(
      twilioRequest("/api/twilio/status?event=voicemail", {
        ...call,
        RecordingSid: recordingSid,
        RecordingUrl: `https://api.twilio.com/2010-04-01/Accounts/${process.env.TWILIO_ACCOUNT_SID}/Recordings/${recordingSid}`,
        RecordingDuration: "2",
      }),
    );
    twilioApi.addRecording(recordingSid, AUDIO);
  }
  await settleDeferredWork();
  const db = await getDatabase();
  const [{ id }] = await db.query<{ id: string }>("select id from public.calls where call_sid = $1", [call.CallSid]);
  return id;
}

async function listen(viewer = ACME_OFFICE, callId: string, range: string | null = null) {
  const response = await streamCallRecording(await getDatabase(), viewer, callId, { range });
  return { response, bytes: Buffer.from(await response.arrayBuffer()) };
}

/** Nothing that would let a browser reach Twilio itself may be in what we answer. */
function expectNoTwilioSecrets(response: Response, bytes: Buffer): void {
  const visible = [...response.headers].flat().join("\n") + bytes.toString("latin1");
  for (const secret of [process.env.TWILIO_AUTH_TOKEN!, process.env.TWILIO_ACCOUNT_SID!, new URL(process.env.TWILIO_API_URL!).host, "api.twilio.com"]) {
    expect(visible).not.toContain(secret);
  }
}

describe("a voicemail streamed to the inbox", () => {
  it("plays the whole recording for the client whose call it was, never cached", async () => {
    const callId = await voicemailCall();
    const { response, bytes } = await listen(ACME_OFFICE, callId);

    expect(response.status).toBe(200);
    expect(Object.fromEntries(response.headers)).toEqual({
      "content-type": "audio/mpeg",
      "content-length": String(AUDIO.length),
      "accept-ranges": "bytes",
      "cache-control": "private, no-store",
    });
    expect(bytes.equals(AUDIO)).toBe(true);
    expectNoTwilioSecrets(response, bytes);
  });

  it("answers a Range request with 206 and just those bytes, as an audio element seeks", async () => {
    const callId = await voicemailCall();
    const { response, bytes } = await listen(ACME_OFFICE, callId, "bytes=1000-1999");

    expect(response.status).toBe(206);
    expect(response.headers.get("content-range")).toBe(`bytes 1000-1999/${AUDIO.length}`);
    expect(response.headers.get("content-length")).toBe("1000");
    expect(bytes.equals(AUDIO.subarray(1000, 2000))).toBe(true);
    expectNoTwilioSecrets(response, bytes);
  });

  it("plays for agency staff too", async () => {
    const callId = await voicemailCall();
    const { response, bytes } = await listen(AGENCY_OWNER, callId);
    expect(response.status).toBe(200);
    expect(bytes.equals(AUDIO)).toBe(true);
  });

  it("is fetched by its recording SID from the configured Twilio API, whatever URL was stored", async () => {
    const callId = await voicemailCall();
    const db = await getDatabase();
    await db.query("update public.calls set recording_url = 'https://collector.example/steal' where id = $1", [callId]);

    const { response, bytes } = await listen(ACME_OFFICE, callId);

    expect(response.status).toBe(200);
    expect(bytes.equals(AUDIO)).toBe(true);
  });
});

describe("a voicemail the inbox does not play", () => {
  it("of another client's call is the same 404 as a call that does not exist", async () => {
    const callId = await voicemailCall();
    const theirs = await listen(BRIGHT_FRONT_DESK, callId);
    const nobodys = await listen(BRIGHT_FRONT_DESK, crypto.randomUUID());

    expect(theirs.response.status).toBe(404);
    expect([theirs.bytes.toString(), Object.fromEntries(theirs.response.headers)]).toEqual([
      nobodys.bytes.toString(),
      Object.fromEntries(nobodys.response.headers),
    ]);
    expectNoTwilioSecrets(theirs.response, theirs.bytes);
  });

  it("of a call with no recording is a 404", async () => {
    const callId = await voicemailCall({ recorded: false });
    expect((await listen(ACME_OFFICE, callId)).response.status).toBe(404);
  });

  it("that Twilio no longer has is a 404", async () => {
    const callId = await voicemailCall();
    twilioApi.reset();
    expect((await listen(ACME_OFFICE, callId)).response.status).toBe(404);
  });

  it("for a call id that is not an id is a 404", async () => {
    expect((await listen(ACME_OFFICE, "1 or 1=1")).response.status).toBe(404);
  });

  it("without a Twilio account says recordings need one", async () => {
    const callId = await voicemailCall();
    delete process.env.TWILIO_ACCOUNT_SID;
    const { response, bytes } = await listen(ACME_OFFICE, callId);
    expect(response.status).toBe(503);
    expect(bytes.toString()).toMatch(/Twilio account/);
  });
});
