import type { Database, Queryable } from "./database";

export type UserClaims = { sub: string; role: "authenticated"; [claim: string]: unknown };

/**
 * Runs a signed-in user's queries as PostgREST does: inside a transaction, as the
 * `authenticated` role, with the verified JWT claims set, so Postgres RLS decides what they reach
 * even if the calling code forgets to filter.
 */
export async function withUserClaims<T>(db: Database, claims: UserClaims, work: (tx: Queryable) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.query("select set_config('request.jwt.claims', $1, true)", [JSON.stringify(claims)]);
    await tx.query("set local role authenticated");
    return work(tx);
  });
}

/** The anonymous role, as an unauthenticated Data API request gets. */
export async function asAnonymous<T>(db: Database, work: (tx: Queryable) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.query("set local role anon");
    return work(tx);
  });
}
