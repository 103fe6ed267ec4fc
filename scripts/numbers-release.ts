// npm run numbers:release -- +15125550123 [more]: releases each number on Twilio, unticks its
// Client Configuration row (on the base's shared pace when DATABASE_URL is set, else a request a
// second) and, with DATABASE_URL, stops routing it at once. Exits 1 unless every number was done.
import { closeDatabase, getDatabase } from "../lib/db/get-database";
import { numbersCommandEnv } from "../lib/numbers/numbers-command-env";
import { releaseNumbers } from "../lib/numbers/release-numbers";
import { normalizePhone } from "../lib/phone/normalize-phone";

const USAGE = "usage: npm run numbers:release -- +15125550123 [+15125550124 ...]";

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const unreadable = args.filter((arg) => !normalizePhone(arg));
  if (args.length === 0 || unreadable.length > 0) {
    console.error(`${unreadable.map((arg) => `"${arg}" is not a phone number. Nothing was released.\n`).join("")}${USAGE}`);
    process.exit(2);
  }
  const phoneNumbers = [...new Set(args.map((arg) => normalizePhone(arg)!))];
  const { env, client, settings } = numbersCommandEnv("numbers:release", { publicBaseUrl: false }, process.env);
  try {
    const db = env.databaseUrl ? await getDatabase() : undefined;
    const outcomes = await releaseNumbers({ client, settings, db }, phoneNumbers);
    console.log(outcomes.map((outcome) => `${outcome.phoneNumber}: ${outcome.said}`).join("\n"));
    if (outcomes.some((outcome) => !outcome.done)) process.exitCode = 1;
  } finally {
    await closeDatabase();
  }
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
