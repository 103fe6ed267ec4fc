import { describe, expect, it } from "vitest";
import { CONFIG_FIELDS as F } from "@/lib/airtable/config-fields";
import { parseAirtableConfigRow } from "@/lib/config/airtable-config-row";
import { describeRefusedRow, readConfigRows } from "@/lib/config/read-config-rows";

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

describe("the Client Configuration rows together", () => {
  const tracking = (id: string, number: string, fields: Record<string, unknown> = {}) => ({
    id,
    fields: { [F.trackingNumber]: number, [F.clientId]: "acme", [F.primaryNumber]: "+12145550111", [F.active]: true, ...fields },
  });

  it("refuses a row whose Primary Number or SMS Forward Number is a tracking number, saying which", () => {
    const { configs, refused } = readConfigRows(
      [
        tracking("recGood", "+15125550100"),
        tracking("recToOther", "+15125550101", { [F.primaryNumber]: "(512) 555-0100" }),
        tracking("recToItself", "+15125550102", { [F.smsForwardNumber]: "512.555.0102" }),
        tracking("recToSnapshot", "+15125550103", { [F.smsForwardNumber]: "+17375550199" }),
        // A malformed row's number is still a tracking number to forward to.
        tracking("recBroken", "+15125550104", { [F.clientId]: "" }),
        tracking("recToBroken", "+15125550105", { [F.primaryNumber]: "+15125550104" }),
      ],
      { baseHasActiveColumn: true, otherTrackingNumbers: ["+17375550199"] },
    );

    expect(configs.map((config) => config.trackingNumber)).toEqual(["+15125550100"]);
    expect(Object.fromEntries(refused.map((row) => [row.recordId, row.error]))).toEqual({
      recToOther: "Primary Number +15125550100 is a tracking number, so calls would be forwarded back to Leadline in a loop",
      recToItself: "SMS Forward Number +15125550102 is this row's own tracking number, so texts would be relayed back to Leadline in a loop",
      recToSnapshot: "SMS Forward Number +17375550199 is a tracking number, so texts would be relayed back to Leadline in a loop",
      recBroken: expect.stringContaining("Client ID"),
      recToBroken: expect.stringContaining("Primary Number +15125550104 is a tracking number"),
    });
  });

  it("describes a refused row by row, client and number, and knows an unticked one", () => {
    const { refused } = readConfigRows(
      [tracking("recOff", "(512) 555-0106", { [F.clientName]: "Broken Bakery", [F.primaryNumber]: "call Bob", [F.active]: undefined })],
      { baseHasActiveColumn: true },
    );
    expect(refused).toEqual([expect.objectContaining({ trackingNumber: "+15125550106", unticked: true })]);
    expect(describeRefusedRow(refused[0])).toBe('Row recOff (Broken Bakery, (512) 555-0106): Primary Number "call Bob" is not a phone number.');
  });
});
