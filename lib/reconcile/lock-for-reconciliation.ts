import type { Queryable } from "../db/database";

/**
 * Holds a Twilio SID for the rest of the transaction against any other reconciliation (the cron
 * run and `npm run reconcile` may overlap), so the second finds the first's rows committed and
 * reports nothing back-filled. The writes are idempotent without it; this keeps the counts true.
 */
export async function lockForReconciliation(tx: Queryable, twilioSid: string): Promise<void> {
  await tx.query("select pg_advisory_xact_lock(hashtext($1))", [`reconcile:${twilioSid}`]);
}
