import { describe, expect, it } from "vitest";
import { readSessionAnswer } from "@/lib/tracking/script/read-session-answer";

describe("the session answer the script acts on", () => {
  it("takes a leased number with its heartbeat, or no number at all", () => {
    expect(readSessionAnswer({ number: "+15125550121", replace: ["+15125550111"], heartbeat: 60 })).toEqual({ number: "+15125550121", replace: ["+15125550111"], heartbeat: 60 });
    expect(readSessionAnswer({ number: null, replace: [], heartbeat: null })).toEqual({ number: null, replace: [], heartbeat: null });
  });

  it("refuses anything else, so the page keeps its own number", () => {
    for (const body of [null, "garbage", [], {}, { number: "555-0121", replace: [] }, { number: "+15125550121", replace: "+15125550111" }, { number: "+15125550121", replace: ["<b>"] }]) {
      expect(readSessionAnswer(body), JSON.stringify(body)).toBeUndefined();
    }
  });

  it("sends no heartbeat unless asked for one in seconds", () => {
    expect(readSessionAnswer({ number: "+15125550121", replace: [], heartbeat: "60" })?.heartbeat).toBeNull();
    expect(readSessionAnswer({ number: "+15125550121", replace: [], heartbeat: -1 })?.heartbeat).toBeNull();
  });
});
