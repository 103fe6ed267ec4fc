import { describe, expect, it } from "vitest";
import { optOutKeyword } from "@/lib/sms/opt-out-keyword";

describe("optOutKeyword", () => {
  it.each(["STOP", "stop", " Stop! ", "unsubscribe", "CANCEL", "end", "quit", "STOPALL", "revoke", "optout"])("%j opts out", (body) => {
    expect(optOutKeyword(body)).toBe("STOP");
  });

  it.each(["START", "unstop"])("%j opts back in", (body) => {
    expect(optOutKeyword(body)).toBe("START");
  });

  it.each(["HELP", "info"])("%j asks for help", (body) => {
    expect(optOutKeyword(body)).toBe("HELP");
  });

  it.each(["Yes", "please stop calling at night", "stop by at 3?", ""])("%j is an ordinary message", (body) => {
    expect(optOutKeyword(body)).toBeUndefined();
  });

  it("trusts Twilio's OptOutType over the body", () => {
    expect(optOutKeyword("yes", "START")).toBe("START");
    expect(optOutKeyword("please remove me", "stop")).toBe("STOP");
  });
});
