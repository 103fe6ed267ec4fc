import { beforeAll, describe, expect, it } from "vitest";
import * as smsRoute from "@/app/api/twilio/sms/route";
import * as statusRoute from "@/app/api/twilio/status/route";
import * as voiceRoute from "@/app/api/twilio/voice/route";
import type { TrackingNumberConfig } from "@/lib/config/tracking-number-config";
import { useRemoteServices } from "../support/remote-services";
import { rowCounts } from "../support/row-counts";
import { addTrackingNumber, phoneNumber } from "../support/tracking-numbers";
import { sid, twilioRequest, type Params } from "../support/twilio-webhook";

const { airtable } = useRemoteServices();

let config: TrackingNumberConfig;
beforeAll(async () => {
  config = await addTrackingNumber();
});

const ROUTES = {
  "/api/twilio/voice": voiceRoute,
  "/api/twilio/status": statusRoute,
  "/api/twilio/sms": smsRoute,
} as const;
type Path = keyof typeof ROUTES;

const validParams = (path: Path): Params =>
  path === "/api/twilio/sms"
    ? { MessageSid: sid("SM"), From: phoneNumber(), To: config.trackingNumber, Body: "hi" }
    : { CallSid: sid("CA"), From: phoneNumber(), To: config.trackingNumber, CallStatus: "completed" };

/** Sends the request and checks the answer is a one-line 4xx, never a 5xx or a stack trace, and nothing was written. */
async function expectRefused(path: Path, request: Request, status: number, reason: RegExp): Promise<void> {
  const before = await rowCounts();
  const response = await ROUTES[path].POST(request);
  const body = await response.text();
  expect(response.status).toBe(status);
  expect(body).toMatch(reason);
  expect(body.trimEnd().split("\n")).toHaveLength(1);
  expect(body).not.toMatch(/\bat .+\(.+:\d+:\d+\)/);
  expect(await rowCounts()).toEqual(before);
}

describe.each(Object.keys(ROUTES) as Path[])("bad input to %s", (path) => {
  it("refuses a body that is not form-encoded", async () => {
    const params = validParams(path);
    const request = twilioRequest(path, params, { body: JSON.stringify(params), headers: { "content-type": "application/json" } });
    await expectRefused(path, request, 415, /form-encoded/);
  });

  it.each(["To", "From", path === "/api/twilio/sms" ? "MessageSid" : "CallSid"])("refuses a request missing %s", async (field) => {
    const params = validParams(path);
    delete params[field];
    await expectRefused(path, twilioRequest(path, params), 400, new RegExp(`^${field}: required`));
  });

  it("refuses a 1 MB body", async () => {
    const params = { ...validParams(path), Body: "x".repeat(1024 * 1024) };
    await expectRefused(path, twilioRequest(path, params), 413, /body larger than/);
  });

  it("refuses a body that is not valid UTF-8", async () => {
    const params = validParams(path);
    const request = twilioRequest(path, params, { body: Buffer.concat([Buffer.from("Body="), Buffer.from([0xff, 0xfe]), Buffer.from("&To=%2B1")]) });
    await expectRefused(path, request, 400, /not valid UTF-8/);
  });

  it("refuses percent-encoded bytes that are not UTF-8", async () => {
    const params = { ...validParams(path), Body: "\uFFFD" };
    const request = twilioRequest(path, params, { body: new URLSearchParams({ ...(params as Record<string, string>), Body: "" }).toString() + "%FF" });
    await expectRefused(path, request, 400, /not valid UTF-8/);
  });

  it("refuses a formula-injection To before it reaches Airtable", async () => {
    const params = { ...validParams(path), To: "x' , TRUE(), '" };
    await expectRefused(path, twilioRequest(path, params), 400, /^To: must be an E\.164 phone number/);
    expect(airtable.requests).toEqual([]);
  });

  it.each(["GET", "PUT", "PATCH", "DELETE"] as const)("refuses %s with 405 and says to use POST", async (method) => {
    const handler = ROUTES[path][method];
    const response = handler();
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST");
    expect(await response.text()).toBe("method not allowed: Twilio webhooks are POST\n");
  });
});

describe("bad input specific to one route", () => {
  it("refuses a status callback naming an unknown event", async () => {
    await expectRefused("/api/twilio/status", twilioRequest("/api/twilio/status?event=bogus", validParams("/api/twilio/status")), 400, /unknown status event/);
  });

  it("refuses a status callback with nothing to report", async () => {
    const params = validParams("/api/twilio/status");
    delete params.CallStatus;
    await expectRefused("/api/twilio/status", twilioRequest("/api/twilio/status", params), 400, /not a status callback/);
  });

  it("keeps unknown extra fields rather than refusing them", async () => {
    const response = await voiceRoute.POST(twilioRequest("/api/twilio/voice", { ...validParams("/api/twilio/voice"), NewTwilioField: "x" }));
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("<Dial");
  });
});
