/**
 * Runs a database write that must not stop Twilio getting its answer: a failure is logged and
 * undefined returned. Reconciliation from Twilio's logs (lib/reconcile, every 10 minutes) later
 * writes a lost call with its lead and outcome, and a lost text from a lead; other writes made
 * here, such as a voicemail link or a delivery status, are not restored.
 */
export async function bestEffort<T>(what: string, work: () => Promise<T>): Promise<T | undefined> {
  try {
    return await work();
  } catch (error) {
    console.error(`${what} failed, answering Twilio anyway: ${(error as Error).message}`);
    return undefined;
  }
}
