import { waitForPaceTurn } from "../airtable/airtable-pace";
import type { Queryable } from "../db/database";

// A command waits this long at most for its slot on the shared pace; a base paused for longer (over
// its plan's monthly calls) is better reported than sat through.
const MAX_WAIT_MS = 60_000;
// Without the database a command cannot take slots on the shared pace. One request a second stays
// inside the headroom that pace leaves under Airtable's 5 a second, as `npm run airtable:check` does.
const UNPACED_SPACING_MS = 1000;

/** Waits until the next Airtable request to the base may go. */
export type AirtableTurns = () => Promise<void>;

/**
 * Turns on the base's shared pace in Postgres when the command has the database (every instance
 * then shares one count), else one request a second from this process.
 */
export function airtableTurns(db: Queryable | undefined, baseId: string): AirtableTurns {
  let first = true;
  return async () => {
    if (!db) {
      if (!first) await sleep(UNPACED_SPACING_MS);
      first = false;
      return;
    }
    await waitForPaceTurn(db, baseId, { maxWaitMs: MAX_WAIT_MS });
  };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
