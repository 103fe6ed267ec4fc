import pg from "pg";
import { DatabaseUnavailableError, type Database, type Queryable, type Row } from "./database";

// int8 (counts, sums) as numbers, as the embedded database returns them.
pg.types.setTypeParser(20, (value) => Number(value));

export type PostgresOptions = {
  /** Connect and statement deadline in ms; 0 for none (migrations, scripts). */
  deadlineMs: number;
  /** After a connection failure or timeout, fail fast for this long instead of waiting again. */
  coolDownMs?: number;
  max?: number;
};

const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EHOSTUNREACH", "ENOTFOUND", "EPIPE"]);
const DRIVER_MESSAGES = /^(Query read timeout|timeout exceeded when trying to connect|Connection terminated|Client has encountered a connection error)/;

function isConnectionFailure(error: unknown): boolean {
  const code = String((error as { code?: unknown })?.code ?? "");
  const message = error instanceof Error ? error.message : "";
  // 08xxx: connection exceptions; 57P0x: server shutting down.
  return NETWORK_CODES.has(code) || code.startsWith("08") || code.startsWith("57P0") || DRIVER_MESSAGES.test(message);
}

// The server cancelled one slow statement at its deadline: it is up and answering, so the error
// marks nothing down (one slow cron query must not fail every webhook for the cool-down).
function isStatementTimeout(error: unknown): boolean {
  return (error as { code?: unknown })?.code === "57014";
}

export function openPostgresDatabase(connectionString: string, options: PostgresOptions): Database {
  const deadline = options.deadlineMs > 0 ? options.deadlineMs : undefined;
  const max = options.max ?? 10;
  const pool = new pg.Pool({
    connectionString,
    max,
    connectionTimeoutMillis: deadline,
    query_timeout: deadline,
    // The server's deadline comes a fifth before the client's, so a slow statement on a live server
    // ends in the server's own 57014, and only a server that does not answer trips the client's.
    statement_timeout: deadline && Math.round(deadline * 0.8),
    idleTimeoutMillis: 30_000,
  });
  pool.on("error", () => {
    // An idle client lost its connection; the pool replaces it on the next checkout.
  });

  let downUntil = 0;
  const coolDown = options.coolDownMs ?? 0;

  async function guarded<T>(work: () => Promise<T>, options: { pastCoolDown?: boolean } = {}): Promise<T> {
    if (!options.pastCoolDown && Date.now() < downUntil) throw new DatabaseUnavailableError("database marked down after a recent failure");
    // pg-pool's connect timeout also covers waiting for a busy pool's next free client; that wait
    // running out means the pool is saturated, not that the database is down.
    const poolWasFull = pool.totalCount >= max && pool.idleCount === 0;
    try {
      return await work();
    } catch (error) {
      if (isStatementTimeout(error)) throw new DatabaseUnavailableError(`database statement timed out: ${(error as Error).message}`, { cause: error });
      if (!isConnectionFailure(error)) throw error;
      if (poolWasFull && error instanceof Error && error.message.startsWith("timeout exceeded when trying to connect")) {
        throw new DatabaseUnavailableError("database busy: no pool connection freed up in time", { cause: error });
      }
      downUntil = Date.now() + coolDown;
      const message = error instanceof Error ? error.message : String(error);
      throw new DatabaseUnavailableError(`database unavailable: ${message}`, { cause: error });
    }
  }

  function wrap(client: pg.PoolClient | pg.Pool): Queryable {
    return {
      async query<T extends Row>(sql: string, params?: unknown[]) {
        const result = await client.query<T>(sql, params as unknown[]);
        return result.rows;
      },
    };
  }

  return {
    kind: "postgres",
    query: <T extends Row>(sql: string, params?: unknown[]) => guarded(() => wrap(pool).query<T>(sql, params)),
    queryPastCoolDown: <T extends Row>(sql: string, params?: unknown[]) => guarded(() => wrap(pool).query<T>(sql, params), { pastCoolDown: true }),
    exec: (sql) => guarded(async () => void (await pool.query(sql))),
    transaction: (work) =>
      guarded(async () => {
        const client = await pool.connect();
        try {
          await client.query("begin");
          const result = await work(wrap(client));
          await client.query("commit");
          client.release();
          return result;
        } catch (error) {
          // A client whose connection failed or timed out is dropped, not rolled back: waiting
          // for a hung server again would double the webhook's delay.
          if (isConnectionFailure(error)) client.release(true);
          else {
            await client.query("rollback").catch(() => {});
            client.release();
          }
          throw error;
        }
      }),
    close: () => pool.end(),
  };
}
