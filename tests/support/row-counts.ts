import { getDatabase } from "@/lib/db/get-database";

/** How many rows every table the webhooks write holds: a rejected request must change none. */
export async function rowCounts(): Promise<Record<string, number>> {
  const db = await getDatabase();
  const [counts] = await db.query<Record<string, number>>(
    `select (select count(*)::int from public.leads) as leads,
            (select count(*)::int from public.calls) as calls,
            (select count(*)::int from public.messages) as messages,
            (select count(*)::int from public.opt_outs) as opt_outs,
            (select count(*)::int from public.usage_events) as usage_events,
            (select count(*)::int from internal.outbox) as outbox,
            (select count(*)::int from internal.text_backs) as text_backs`,
  );
  return counts;
}
