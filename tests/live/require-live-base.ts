// `npm run test:live` runs only against a real base: without one it says what to set, and fails,
// so a run that tested nothing never looks like a pass.
import { TOKEN_SCOPES } from "@/lib/airtable/check-base";

export default function requireLiveBase(): void {
  const missing = ["AIRTABLE_LIVE_TOKEN", "AIRTABLE_LIVE_BASE_ID"].filter((name) => !process.env[name]);
  if (missing.length === 0) return;
  throw new Error(
    [
      `npm run test:live needs ${missing.join(" and ")}.`,
      "It runs the Lead Pipeline scenarios against a real Airtable base, to hold the test stand-in to the real service:",
      `  AIRTABLE_LIVE_TOKEN    a personal access token with the scopes ${TOKEN_SCOPES.join(", ")}, with the base added to it`,
      "  AIRTABLE_LIVE_BASE_ID  a throwaway base (app…): the run creates its tables if missing, adds rows and deletes them again",
      '  Before the first run: AIRTABLE_TOKEN=… AIRTABLE_BASE_ID=… npm run airtable:setup, then add the "Status Modified" field that npm run airtable:check asks for.',
      "  AIRTABLE_LIVE_API_URL  optional, default https://api.airtable.com",
    ].join("\n"),
  );
}
