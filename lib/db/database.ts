export type Row = Record<string, unknown>;

export interface Queryable {
  query<T extends Row = Row>(sql: string, params?: unknown[]): Promise<T[]>;
}

export interface Database extends Queryable {
  readonly kind: "embedded" | "postgres";
  /** Runs several statements at once (migrations, seed); no parameters. */
  exec(sql: string): Promise<void>;
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * A query asked even while a recent failure has the database marked down (PostgreSQL then fails
   * fast for a while, so webhooks do not each wait out a dead server): for a read that nothing else
   * can stand in for, which is worth the deadline.
   */
  queryPastCoolDown<T extends Row = Row>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/** The database refused, timed out, or is known to be down: callers fall back instead of failing. */
export class DatabaseUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "DatabaseUnavailableError";
  }
}
