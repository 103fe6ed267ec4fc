import { beforeAll, describe, expect, it } from "vitest";
import { POST } from "@/app/api/twilio/voice/route";
import { getDatabase } from "@/lib/db/get-database";
import { seedDatabase } from "@/lib/db/seed-database";
import { useRemoteServices } from "../support/remote-services";
import { sid, twilioRequest } from "../support/twilio-webhook";

const ACME_TRACKING = "+15125550100";
const ACME_PRIMARY = "+15125550111";

useRemoteServices();

beforeAll(async () => {
  await seedDatabase(await getDatabase(), { onlyIfEmpty: true });
});

async function callsFor(callSid: string) {
  const db = await getDatabase();
  return db.query<{ client_id: string | null; lead_id: string | null; outcome: string | null }>(
    "select client_id, lead_id, outcome from public.calls where call_sid = $1",
    [callSid],
  );
}

describe("POST /api/twilio/voice", () => {
  it("forwards a call to a known tracking number to the client's primary number and logs it", async () => {
    const callSid = sid("CA");
    const response = await POST(twilioRequest("/api/twilio/voice", { CallSid: callSid, From: "+15125550150", To: ACME_TRACKING }));
    const twiml = await response.text();

    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/xml/);
    expect(twiml).toMatch(new RegExp(`<Dial action="https://leads\\.example\\.test/api/twilio/status\\?event=dial" method="POST" timeout="20"><Number>\\${ACME_PRIMARY}</Number></Dial>`));
    expect(await callsFor(callSid)).toEqual([expect.objectContaining({ client_id: "acme-plumbing", lead_id: expect.any(String) })]);
  });

  it("answers an unknown number politely, without a <Dial>, and logs the call as unrouted", async () => {
    const callSid = sid("CA");
    const response = await POST(twilioRequest("/api/twilio/voice", { CallSid: callSid, From: "+15125550150", To: "+19995550000" }));
    const twiml = await response.text();

    expect(response.status).toBe(200);
    expect(twiml).toContain("<Say>");
    expect(twiml).not.toContain("<Dial");
    expect(await callsFor(callSid)).toEqual([{ client_id: null, lead_id: null, outcome: "unrouted" }]);
  });
});
