// npm run airtable:setup: creates the Client Configuration and Lead Pipeline tables, or the fields
// they lack, in the existing base named by AIRTABLE_BASE_ID; then says what is left to do by hand.
import { serverEnv } from "../lib/env";
import { checkBase, describeAccessProblem } from "../lib/airtable/check-base";
import { setUpBase } from "../lib/airtable/set-up-base";

async function main(): Promise<void> {
  const settings = serverEnv().airtable;
  if (!settings) throw new Error("Set AIRTABLE_TOKEN and AIRTABLE_BASE_ID first (see .env.example).");
  let done: string[];
  try {
    done = await setUpBase(settings);
  } catch (error) {
    throw new Error(describeAccessProblem(settings, error));
  }
  console.log(done.length ? done.map((line) => `- ${line}`).join("\n") : "Nothing to create: both tables have every field.");
  const left = await checkBase(settings);
  if (left.length) {
    console.log(`\nStill to do:\n${left.map((line) => `- ${line}`).join("\n")}`);
    process.exitCode = 1;
  }
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
