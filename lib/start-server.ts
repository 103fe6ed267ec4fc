import { EnvError, serverEnv } from "./env";
import { getDatabase } from "./db/get-database";

export async function startServer(): Promise<void> {
  try {
    const env = serverEnv();
    if (!env.databaseUrl) await getDatabase();
    console.log(
      `Leadline ready: Twilio webhooks are checked against ${env.publicBaseUrl}; database: ${env.databaseUrl ? "PostgreSQL" : `embedded (${env.dataDir})`}; Airtable: ${env.airtable ? env.airtable.baseId : "not configured"}.`,
    );
  } catch (error) {
    console.error(error instanceof EnvError ? error.message : error);
    process.exit(1);
  }
}
