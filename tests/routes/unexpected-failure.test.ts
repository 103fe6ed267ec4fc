import { describe, expect, it, vi } from "vitest";
import { POST as sms } from "@/app/api/twilio/sms/route";
import { POST as status } from "@/app/api/twilio/status/route";
import { POST as voice } from "@/app/api/twilio/voice/route";
import { sid, twilioRequest } from "../support/twilio-webhook";

// Something no one foresaw breaks under every route: Twilio must still get valid TwiML, since a 5xx
// makes it play "an application error has occurred" to the caller.
vi.mock("@/lib/config/lookup-tracking-number", () => ({
  lookupTrackingNumber: () => Promise.reject(new TypeError("unforeseen")),
}));

const call = () => ({ CallSid: sid("CA"), From: "+15125550150", To: "+15125550100" });

describe("an unforeseen failure inside a webhook", () => {
  it("answers a call with a spoken apology", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const response = await voice(twilioRequest("/api/twilio/voice", call()));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response><Say>Sorry, we could not connect your call just now. Please try again in a moment.</Say></Response>',
    );
  });

  it("answers the dial action and a text with an empty <Response/>", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const dial = await status(twilioRequest("/api/twilio/status?event=dial", { ...call(), DialCallStatus: "no-answer" }));
    const text = await sms(twilioRequest("/api/twilio/sms", { MessageSid: sid("SM"), From: "+15125550150", To: "+15125550100", Body: "hi" }));
    for (const response of [dial, text]) {
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    }
  });

  it("logs what broke, so it can be found", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    await voice(twilioRequest("/api/twilio/voice", call()));
    expect(logged).toHaveBeenCalledWith("twilio webhook /api/twilio/voice failed:", expect.objectContaining({ message: "unforeseen" }));
  });
});
