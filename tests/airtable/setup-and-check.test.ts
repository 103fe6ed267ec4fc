import { describe, expect, it } from "vitest";
import { checkBase } from "@/lib/airtable/check-base";
import { CONFIG_FIELDS as C } from "@/lib/airtable/config-fields";
import { setUpBase } from "@/lib/airtable/set-up-base";
import { checkConfigRows } from "@/lib/config/check-config-rows";
import { serverEnv } from "@/lib/env";
import { LEAD_PIPELINE_FIELDS, LEAD_PIPELINE_TABLE } from "../support/lead-pipeline-table";
import { CONFIG_TABLE, useRemoteServices } from "../support/remote-services";

const { airtable } = useRemoteServices();
const settings = () => serverEnv().airtable!;

describe("npm run airtable:setup and airtable:check", () => {
  it("on an empty base, check names both missing tables; setup creates them with the options Airtable requires", async () => {
    expect(await checkBase(settings())).toEqual(
      expect.arrayContaining([
        `The base has no "${CONFIG_TABLE}" table. Run npm run airtable:setup to create it.`,
        `The base has no "${LEAD_PIPELINE_TABLE}" table. Run npm run airtable:setup to create it.`,
      ]),
    );
    expect(await checkConfigRows(settings())).toEqual([expect.stringMatching(`^The rows of "${CONFIG_TABLE}" could not be read, so they were not checked: `)]);

    expect(await setUpBase(settings())).toEqual([
      `created the "${CONFIG_TABLE}" table with 19 fields`,
      `created the "${LEAD_PIPELINE_TABLE}" table with 18 fields`,
    ]);
    expect(airtable.fields(LEAD_PIPELINE_TABLE)).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: "Calls", type: "number", options: expect.objectContaining({ precision: 0 }) })]),
    );

    expect(await checkBase(settings())).toEqual([
      `"${LEAD_PIPELINE_TABLE}" has no "Status Modified" field, so statuses changed in Airtable cannot reach the app: add a "Last modified time" field named "Status Modified" that watches only the Status field.`,
    ]);
    expect(await setUpBase(settings())).toEqual([]);
  });

  it("adds only the fields an existing table lacks, and then the base is ready", async () => {
    airtable.defineTable(CONFIG_TABLE, ["Tracking Number", "Client ID"]);
    airtable.defineTable(LEAD_PIPELINE_TABLE, LEAD_PIPELINE_FIELDS);
    const done = await setUpBase(settings());
    expect(done).toHaveLength(17);
    expect(done).toContain(`added "Primary Number" to "${CONFIG_TABLE}"`);
    expect(await checkBase(settings())).toEqual([]);
  });

  it("brings a Lead Pipeline set up before attribution up to date: check names the missing columns, setup adds them", async () => {
    await setUpBase(settings());
    const attribution = ["Medium", "Campaign", "Term", "Click ID", "Landing Page"];
    airtable.defineTable(
      LEAD_PIPELINE_TABLE,
      LEAD_PIPELINE_FIELDS.filter((field) => !attribution.includes(typeof field === "string" ? field : field.name)),
    );
    const problems = await checkBase(settings());
    for (const name of attribution) expect(problems.join("\n")).toContain(`"${name}"`);

    expect(await setUpBase(settings())).toEqual(attribution.map((name) => `added "${name}" to "${LEAD_PIPELINE_TABLE}"`));
    expect(airtable.fields(LEAD_PIPELINE_TABLE)).toEqual(expect.arrayContaining([expect.objectContaining({ name: "Landing Page", type: "url" })]));
    expect(await checkBase(settings())).toEqual([]);
  });

  it("says which field is of the wrong kind, and which Status choices are missing", async () => {
    await setUpBase(settings());
    airtable.defineTable(
      LEAD_PIPELINE_TABLE,
      LEAD_PIPELINE_FIELDS.map((field) => {
        if (typeof field !== "string" && field.name === "Calls") return "Calls";
        if (typeof field !== "string" && field.name === "Status") return { name: "Status", type: "singleSelect" as const, options: { choices: [{ name: "New" }] } };
        return field;
      }),
    );
    expect(await checkBase(settings())).toEqual([
      `"Calls" in "${LEAD_PIPELINE_TABLE}" is a single line text field, but Leadline needs a number field. Change its type in Airtable.`,
      `"Status" in "${LEAD_PIPELINE_TABLE}" lacks the choices "Contacted", "Qualified", "Won", "Lost", "Spam". Add them in Airtable.`,
    ]);
  });

  it("check names each config row the sync would refuse: malformed, a second row for a number, or a loop", async () => {
    await setUpBase(settings());
    const row = (fields: Record<string, unknown>) =>
      airtable.addRow(CONFIG_TABLE, { [C.clientId]: "acme", [C.clientName]: "Acme Plumbing", [C.primaryNumber]: "+12145550100", [C.active]: true, ...fields });
    row({ [C.trackingNumber]: "+15125550100" });
    const malformed = row({ [C.trackingNumber]: "+15125550101", [C.clientName]: "Broken Bakery", [C.primaryNumber]: "call Bob" });
    const second = row({ [C.trackingNumber]: "(512) 555-0100" });
    const loop = row({ [C.trackingNumber]: "+15125550102", [C.primaryNumber]: "512-555-0100" });
    expect(await checkConfigRows(settings())).toEqual([
      `Row ${malformed.id} (Broken Bakery, +15125550101): Primary Number "call Bob" is not a phone number.`,
      `Row ${second.id} (Acme Plumbing, (512) 555-0100): +15125550100 is already on another row.`,
      `Row ${loop.id} (Acme Plumbing, +15125550102): Primary Number +15125550100 is a tracking number, so calls would be forwarded back to Leadline in a loop.`,
    ]);
  });

  it("explains a refused token with the scopes it needs", async () => {
    const problems = await checkBase({ ...settings(), token: "patWrongToken" });
    expect(problems).toEqual([expect.stringMatching(/^Airtable refused the token in AIRTABLE_TOKEN\. .*data\.records:read, data\.records:write, schema\.bases:read, schema\.bases:write, webhook:manage/)]);
  });

  it("explains a base the token cannot see", async () => {
    const problems = await checkBase({ ...settings(), baseId: "appNotInTheToken" });
    expect(problems).toEqual([expect.stringMatching(/^The token cannot read the tables of base appNotInTheToken\./)]);
  });
});
