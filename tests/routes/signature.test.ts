import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { POST as voice } from "@/app/api/twilio/voice/route";
import { POST as status } from "@/app/api/twilio/status/route";
import { POST as sms } from "@/app/api/twilio/sms/route";
import type { TrackingNumberConfig } from "@/lib/config/tracking-number-config";
import { useRemoteServices } from "../support/remote-services";
import { rowCounts } from "../support/row-counts";
import { addTrackingNumber, phoneNumber } from "../support/tracking-numbers";
import { sid, toForm, twilioRequest } from "../support/twilio-webhook";

useRemoteServices();

let config: TrackingNumberConfig;
beforeAll(async () => {
  config = await addTrackingNumber();
});
afterEach(() => vi.unstubAllEnvs());

const callParams = () => ({ CallSid: sid("CA"), From: phoneNumber(), To: config.trackingNumber, CallStatus: "ringing" });

async function expectRejected(request: Request, handler = voice): Promise<void> {
  const before = await rowCounts();
  const response = await handler(request);
  expect(response.status).toBe(403);
  expect(await response.text()).toBe("invalid or missing X-Twilio-Signature\n");
  expect(await rowCounts()).toEqual(before);
}

describe("Twilio signature checks on every webhook", () => {
  it("accepts a request signed over PUBLIC_BASE_URL that reaches the server as plain http on another host and port", async () => {
    const response = await voice(twilioRequest("/api/twilio/voice", callParams(), { arriveAt: "http://10.20.30.40:3000" }));
    expect(response.status).toBe(200);
    expect(await response.text()).toContain(`<Number>${config.primaryNumber}</Number>`);
  });

  it("keeps the query string in what is signed", async () => {
    const params = { ...callParams(), DialCallStatus: "completed", DialBridged: "true", DialCallDuration: "60" };
    const response = await status(twilioRequest("/api/twilio/status?event=dial", params));
    expect(response.status).toBe(200);
  });

  it("refuses a request with no signature header", async () => {
    const request = new Request("http://10.0.0.7:8080/api/twilio/voice", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: toForm(callParams()),
    });
    await expectRejected(request);
  });

  it("refuses a request signed with the wrong token", async () => {
    await expectRejected(twilioRequest("/api/twilio/voice", callParams(), { token: "not-the-token" }));
  });

  it("refuses a request whose parameter was changed after signing", async () => {
    const params = callParams();
    const signed = twilioRequest("/api/twilio/voice", params);
    const tampered = new Request(signed.url, { method: "POST", headers: signed.headers, body: toForm({ ...params, To: phoneNumber() }) });
    await expectRejected(tampered);
  });

  it("refuses a request with a parameter added after signing", async () => {
    const params = callParams();
    const signed = twilioRequest("/api/twilio/voice", params);
    const added = new Request(signed.url, { method: "POST", headers: signed.headers, body: toForm({ ...params, Extra: "1" }) });
    await expectRejected(added);
  });

  it("refuses a signature made for another path", async () => {
    const params = { MessageSid: sid("SM"), From: phoneNumber(), To: config.trackingNumber, Body: "hi" };
    await expectRejected(twilioRequest("/api/twilio/sms", params, { signedUrl: "https://leads.example.test/api/twilio/voice" }), sms);
  });

  it("refuses a signature made for another public host", async () => {
    await expectRejected(twilioRequest("/api/twilio/voice", callParams(), { signedUrl: "https://evil.example.test/api/twilio/voice" }));
  });

  it("accepts the previous token only while TWILIO_AUTH_TOKEN_PREVIOUS names it", async () => {
    const signedWithOld = () => twilioRequest("/api/twilio/voice", callParams(), { token: "old-token" });
    await expectRejected(signedWithOld());

    vi.stubEnv("TWILIO_AUTH_TOKEN_PREVIOUS", "old-token");
    const response = await voice(signedWithOld());
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("<Dial");
  });
});
