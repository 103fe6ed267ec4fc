// npm run airtable:check: says, in plain words, what in the Airtable base stops Leadline working:
// the tables and fields, then each Client Configuration row the sync would refuse.
import { serverEnv } from "../lib/env";
import { checkBase } from "../lib/airtable/check-base";
import { checkConfigRows } from "../lib/config/check-config-rows";

async function main(): Promise<void> {
  const settings = serverEnv().airtable;
  if (!settings) throw new Error("Set AIRTABLE_TOKEN and AIRTABLE_BASE_ID first (see .env.example).");
  const problems = [...(await checkBase(settings)), ...(await checkConfigRows(settings))];
  if (problems.length === 0) {
    console.log(`Base ${settings.baseId} is ready: "${settings.configTable}" and "${settings.leadsTable}" have every field Leadline needs, and no config row is malformed or loops.`);
    return;
  }
  console.log(`Base ${settings.baseId} needs attention:\n${problems.map((line) => `- ${line}`).join("\n")}`);
  process.exitCode = 1;
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
