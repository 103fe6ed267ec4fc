import { describe, expect, it } from "vitest";
import { CONFIG_FIELDS as F, parseAirtableConfigRow } from "@/lib/config/airtable-config-row";

const row = (fields: Record<string, unknown>) => ({ id: "rec1", fields: { [F.trackingNumber]: "+15125550100", [F.clientId]: "acme", [F.primaryNumber]: "+15125550111", ...fields } });

describe("a Client Configuration row", () => {
  it("fills the defaults a minimal row leaves out", () => {
    const parsed = parseAirtableConfigRow(row({}), { baseHasActiveColumn: false });
    expect(parsed).toEqual({
      ok: true,
      config: expect.objectContaining({
        clientName: "acme",
        smsForwardNumber: "+15125550111",
        textBackEnabled: false,
        numberType: "Source",
        ringTimeoutSeconds: 20,
        missedCallMaxSeconds: 15,
        voicemailEnabled: true,
        showTrackingNumber: false,
        active: true,
        textBackMessage: expect.stringContaining("acme"),
      }),
    });
  });

  it("reads a missing Active as unticked when the base has that column", () => {
    const parsed = parseAirtableConfigRow(row({}), { baseHasActiveColumn: true });
    expect(parsed.ok && parsed.config.active).toBe(false);
  });

  it("says what is wrong with a malformed row, by field", () => {
    const parsed = parseAirtableConfigRow(row({ [F.primaryNumber]: "call Bob", [F.ringTimeout]: "soon" }), { baseHasActiveColumn: true });
    expect(parsed).toEqual({ ok: false, error: expect.stringMatching(/Primary Number "call Bob" is not a phone number.*Ring Timeout must be a number of seconds/) });
  });

  it("sends a client's leads to its own base when the row names one, and refuses a malformed one", () => {
    const own = parseAirtableConfigRow(row({ [F.pipelineBaseId]: "appClientBase0001" }), { baseHasActiveColumn: false });
    expect(own.ok && own.config.pipelineBaseId).toBe("appClientBase0001");
    expect(parseAirtableConfigRow(row({ [F.pipelineBaseId]: "my base" }), { baseHasActiveColumn: false }).ok).toBe(false);
  });

  it("refuses a Client ID that could not be a key", () => {
    expect(parseAirtableConfigRow(row({ [F.clientId]: "acme' OR 1=1" }), { baseHasActiveColumn: true }).ok).toBe(false);
  });
});
