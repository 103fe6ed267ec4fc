import { describe, expect, it } from "vitest";
import { missedReason } from "@/lib/calls/is-missed-call";

describe("the missed-call rule", () => {
  it.each([
    [{ dialCallStatus: "no-answer", dialBridged: false }, "no-answer"],
    [{ dialCallStatus: "busy" }, "busy"],
    [{ dialCallStatus: "failed" }, "failed"],
    [{ dialCallStatus: "canceled" }, "canceled"],
    [{ dialCallStatus: "completed", dialBridged: false, dialCallDuration: 120 }, "not-bridged"],
    [{ dialCallStatus: "completed", dialBridged: true, dialCallDuration: 14 }, "too-short"],
    [{}, "abandoned"],
  ] as const)("%o is missed (%s)", (outcome, reason) => {
    expect(missedReason(outcome, 15)).toBe(reason);
  });

  it("counts a bridged call answered for the threshold or longer as answered", () => {
    expect(missedReason({ dialCallStatus: "completed", dialBridged: true, dialCallDuration: 15 }, 15)).toBeUndefined();
    expect(missedReason({ dialCallStatus: "answered", dialBridged: true, dialCallDuration: 300 }, 15)).toBeUndefined();
  });

  it("turns the duration rule off at 0", () => {
    expect(missedReason({ dialCallStatus: "completed", dialBridged: true, dialCallDuration: 2 }, 0)).toBeUndefined();
    expect(missedReason({ dialCallStatus: "completed", dialBridged: false, dialCallDuration: 2 }, 0)).toBe("not-bridged");
  });
});
