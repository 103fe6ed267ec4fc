// Runs once when the server starts: a bad environment stops it here with a message naming the
// variable, and the embedded database is opened (migrated, seeded in development) before the first call.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startServer } = await import("./lib/start-server");
  await startServer();
}
