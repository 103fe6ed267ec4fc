/**
 * Runs a database write that must not stop Twilio getting its answer: a failure is logged (the
 * row can be back-filled from Twilio's logs) and undefined returned.
 */
export async function bestEffort<T>(what: string, work: () => Promise<T>): Promise<T | undefined> {
  try {
    return await work();
  } catch (error) {
    console.error(`${what} failed, answering Twilio anyway: ${(error as Error).message}`);
    return undefined;
  }
}
