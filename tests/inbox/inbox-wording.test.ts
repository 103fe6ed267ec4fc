// How the inbox words numbers, calls, texts and deliveries for the people reading it.
import { describe, expect, it } from "vitest";
import { callOutcome, describeCall, formatDuration } from "@/lib/inbox/call-outcome";
import { describeDelivery } from "@/lib/inbox/describe-delivery";
import { describeText } from "@/lib/inbox/describe-text";
import { formatPhoneForDisplay } from "@/lib/phone/format-phone";

describe("a caller's number", () => {
  it.each([
    ["+15125550134", "(512) 555-0134"],
    ["+442079460958", "+44 20 7946 0958"],
    ["anonymous", "Withheld number"],
    ["+266696687", "Withheld number"],
  ])("%s reads %s", (stored, shown) => {
    expect(formatPhoneForDisplay(stored)).toBe(shown);
  });
});

describe("a call in one line", () => {
  it("gives an answered call's talk time as minutes and seconds", () => {
    expect(describeCall({ outcome: "answered", talkSeconds: 184, hasVoicemail: false, voicemailSeconds: null })).toBe("Answered call 3:04");
    expect(formatDuration(3725)).toBe("1:02:05");
  });

  it("says a missed call is missed, with its voicemail's length, and an abandoned one as missed", () => {
    expect(describeCall({ outcome: "missed", talkSeconds: null, hasVoicemail: false, voicemailSeconds: null })).toBe("Missed call");
    expect(describeCall({ outcome: "missed", talkSeconds: null, hasVoicemail: true, voicemailSeconds: 21 })).toBe("Missed call, voicemail 0:21");
    expect(callOutcome("missed", "abandoned")).toBe("abandoned");
    expect(describeCall({ outcome: callOutcome("missed", "abandoned"), talkSeconds: null, hasVoicemail: false, voicemailSeconds: null })).toMatch(/^Missed call/);
    expect(callOutcome(null, null)).toBe("in progress");
  });
});

describe("a text in one line", () => {
  it("keeps the first words on one line and says who wrote a reply", () => {
    expect(describeText({ author: "lead", body: "Hi,\nis Saturday OK?", mediaCount: 0 })).toBe("Hi, is Saturday OK?");
    expect(describeText({ author: "client", body: "On our way", mediaCount: 0 })).toBe("Reply: On our way");
    expect(describeText({ author: "auto", body: "Sorry we missed you", mediaCount: 0 })).toBe("Auto-text: Sorry we missed you");
    expect(describeText({ author: "lead", body: "x".repeat(300), mediaCount: 0 })).toHaveLength(120);
  });

  it("names the photos of a text that has no words", () => {
    expect(describeText({ author: "lead", body: "", mediaCount: 1 })).toBe("Photo");
    expect(describeText({ author: "lead", body: " ", mediaCount: 3 })).toBe("3 photos");
  });
});

describe("a text's delivery", () => {
  it("never says delivered before Twilio does", () => {
    for (const status of ["queued", "sending", "sent", "relayed", "undelivered", "failed"]) {
      expect(describeDelivery({ status, errorCode: null }).label).not.toMatch(/delivered/i);
    }
    expect(describeDelivery({ status: "delivered", errorCode: null })).toEqual({ label: "Delivered", tone: "done" });
  });

  it("explains a failure's error code", () => {
    expect(describeDelivery({ status: "undelivered", errorCode: 30006 })).toEqual({ label: "Failed to deliver (error 30006: a landline or an unreachable carrier)", tone: "failed" });
    expect(describeDelivery({ status: "failed", errorCode: 12345 }).label).toBe("Failed (error 12345)");
  });
});
