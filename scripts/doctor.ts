// npm run doctor [-- --env-file .env.production]: checks a configured deployment from the outside,
// with the environment it runs with, and says in plain words what is wrong and what to do: the
// variables, the database and its migrations, the Airtable base and its sync, PUBLIC_BASE_URL
// answering, and the Twilio numbers pointing at it. Exits 1 when anything is wrong.
import { runDoctor } from "../lib/doctor/run-doctor";
import type { Finding } from "../lib/doctor/finding";

const USAGE = "usage: npm run doctor [-- --env-file FILE]   (the deployment's variables; the shell's own win)";
const LABEL: Record<Finding["status"], string> = { ok: "ok", problem: "PROBLEM", note: "note" };

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.length === 2 && args[0] === "--env-file") {
    try {
      process.loadEnvFile(args[1]);
    } catch (error) {
      throw new Error(`Cannot read the --env-file ${args[1]}: ${(error as Error).message}`);
    }
  } else if (args.length > 0) {
    console.error(USAGE);
    process.exit(1);
  }
  console.log(`Leadline doctor: checking the deployment at ${process.env.PUBLIC_BASE_URL ?? "(PUBLIC_BASE_URL is not set)"}\n`);
  const findings = await runDoctor(process.env);
  const checkWidth = Math.max(...findings.map((finding) => finding.check.length));
  for (const finding of findings) console.log(`${LABEL[finding.status].padEnd(7)}  ${finding.check.padEnd(checkWidth)}  ${finding.says}`);
  const problems = findings.filter((finding) => finding.status === "problem").length;
  console.log(problems === 0 ? "\nNo problems found." : `\n${problems} ${problems === 1 ? "problem" : "problems"} to fix, then run npm run doctor again.`);
  if (problems > 0) process.exitCode = 1;
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
