import { EXHAUSTED_DEMAND_MINUTES, TARGET_POOL_USE, type PoolHealth as Pool } from "@/lib/reports/read-pool-health";

const count = (n: number) => n.toLocaleString("en-US");

function verdict(pool: Pool): { text: string; tone: string } {
  if (pool.suggestedSize === null) return { text: "Nobody needed a number in these dates.", tone: "text-slate-700" };
  const missing = pool.suggestedSize - pool.size;
  if (missing > 0) return { text: `Add ${count(missing)} ${missing === 1 ? "number" : "numbers"}.`, tone: "text-amber-900" };
  return { text: "Big enough.", tone: "text-emerald-800" };
}

/**
 * Each number pool's busiest moment against its size, with the size it should have. One card per
 * pool (a client may have several, staff see every client's), so it reads on a phone. Nothing when
 * the viewer has no pools.
 */
export function PoolHealth({ pools, showClient }: { pools: Pool[]; showClient: boolean }) {
  if (pools.length === 0) return null;
  return (
    <section aria-labelledby="pool-health-heading" className="rounded-lg border border-slate-200 bg-white p-4 sm:p-5">
      <h2 id="pool-health-heading" className="text-lg font-semibold text-slate-900">
        Number pools
      </h2>
      <p className="mt-1 text-sm text-slate-700">
        Suggested size = the most visitors who needed a number at once (numbers in use plus visitors who found the pool full in the{" "}
        {EXHAUSTED_DEMAND_MINUTES} minutes before) ÷ {TARGET_POOL_USE}, rounded up: at its busiest the pool would be at most {TARGET_POOL_USE * 100} % in use.
      </p>
      <ul className="mt-4 grid gap-3 sm:grid-cols-2">
        {pools.map((pool) => {
          const { text, tone } = verdict(pool);
          return (
            <li key={`${pool.clientId}:${pool.source}`} className="rounded-md bg-slate-50 px-3 py-3">
              <h3 className="font-semibold text-slate-900">
                {pool.source} pool{showClient ? <span className="font-normal text-slate-700"> · {pool.clientName}</span> : null}
              </h3>
              <dl className="mt-2 grid grid-cols-2 gap-x-3 gap-y-2 text-sm tabular-nums">
                <div>
                  <dt className="text-slate-700">Numbers</dt>
                  <dd className="text-xl font-semibold text-slate-900">{count(pool.size)}</dd>
                </div>
                <div>
                  <dt className="text-slate-700">Most in use at once</dt>
                  <dd className="text-xl font-semibold text-slate-900">{count(pool.peakLeases)}</dd>
                </div>
                <div>
                  <dt className="text-slate-700">Visitors who found it full</dt>
                  <dd className="text-xl font-semibold text-slate-900">{count(pool.exhaustions)}</dd>
                </div>
                <div>
                  <dt className="text-slate-700">Suggested size</dt>
                  <dd className="text-xl font-semibold text-slate-900">
                    {pool.suggestedSize === null ? "–" : count(pool.suggestedSize)}
                    <span className="ml-1 text-sm font-normal text-slate-700">for {count(pool.peakDemand)} at once</span>
                  </dd>
                </div>
              </dl>
              <p className={`mt-2 text-sm font-medium ${tone}`}>{text}</p>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
