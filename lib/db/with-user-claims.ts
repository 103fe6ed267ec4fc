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

/**
 * Inside `withUserClaims`, goes back to the server's own role for the rest of that transaction,
 * claims still set. For the writes that follow from one RLS has just allowed but that the user may
 * not make themselves (a reply's first delivery status, its pipeline job): they commit or roll back
 * with the user's write, and run only after RLS vouched for it.
 */
export async function asServerRoleInSameTransaction(tx: Queryable): Promise<void> {
  await tx.query("set local role none");
}
