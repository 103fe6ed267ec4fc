import { checkAirtableBase, checkAirtableSync } from "./check-airtable";
import { checkDatabase } from "./check-database";
import { checkDeployment } from "./check-deployment";
import { checkEnvironment } from "./check-environment";
import { checkTwilioNumbers } from "./check-twilio-numbers";
import { note, type Finding } from "./finding";

/**
 * Checks a configured deployment from the outside, with its environment: the variables, the database
 * and its migrations, the Airtable base and its sync, the deployment answering at PUBLIC_BASE_URL,
 * and the Twilio numbers pointing there. A check that needs something an earlier one found broken
 * says it was left out, rather than repeating that problem.
 */
export async function runDoctor(variables: Record<string, string | undefined>): Promise<Finding[]> {
  const environment = checkEnvironment(variables);
  const env = environment.env;
  if (!env) return [...environment.findings, note("doctor", "the other checks need the environment first.")];
  const findings = [...environment.findings];

  const database = env.databaseUrl ? await checkDatabase(env.databaseUrl) : undefined;
  if (database) findings.push(...database.findings);
  try {
    if (env.airtable) {
      findings.push(...(await checkAirtableBase(env.airtable)));
      if (database?.db) findings.push(...(await checkAirtableSync(database.db, env.publicBaseUrl)));
    }
  } finally {
    await database?.db?.close();
  }
  findings.push(...(await checkDeployment(env.publicBaseUrl, Boolean(env.databaseUrl))));
  findings.push(...(await checkTwilioNumbers(env)));
  return findings;
}
