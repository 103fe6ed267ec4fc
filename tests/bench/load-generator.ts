// HTTP load against one local server for the benchmark commands: open loop (requests started on a
// fixed schedule whether or not earlier ones have answered) for latency, closed loop (each
// connection sends as soon as its last request answered) for throughput, and the cheapest route,
// /api/health/live, that every measured route is compared with.
import http from "node:http";
import { performance } from "node:perf_hooks";

const REQUEST_TIMEOUT_MS = 20_000;

export type Prepared = { method: "GET" | "POST"; path: string; body?: Buffer; headers: Record<string, string | number> };
type Outcome = { ok: boolean; ms: number; problem?: string };
/** A route under load: its next request, and what is wrong with an answer (undefined when it is right). */
export type Target = { name: string; next: () => Prepared; check: (status: number, body: string) => string | undefined };

export type RouteTally = { samples: number[]; ok: number; failures: number; problems: string[] };
export const newTally = (): RouteTally => ({ samples: [], ok: 0, failures: 0, problems: [] });

function record(tally: RouteTally, outcome: Outcome): void {
  if (outcome.ok) {
    tally.ok++;
    tally.samples.push(outcome.ms);
  } else {
    tally.failures++;
    if (tally.problems.length < 5) tally.problems.push(outcome.problem!);
  }
}

const HEALTH_LIVE_REQUEST: Prepared = { method: "GET", path: "/api/health/live", headers: {} };
export const HEALTH_LIVE: Target = {
  name: "health",
  next: () => HEALTH_LIVE_REQUEST,
  check: (status, body) => (status === 200 && body.includes('"ok":true') ? undefined : `health ${status}: ${body.slice(0, 200)}`),
};

const keepAliveAgent = (maxSockets: number) => new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets, scheduling: "fifo" });

export type LoadGenerator = {
  pacedPhase: (targets: Target[], rate: number, seconds: number) => Promise<{ tallies: Map<string, RouteTally>; lag: number[] }>;
  closedLoop: (target: Target, connections: number, seconds: number, tally: RouteTally) => Promise<{ completed: number; elapsedMs: number }>;
};

/** Load against the server listening on 127.0.0.1:`port`. */
export function loadGenerator(port: number): LoadGenerator {
  function send(agent: http.Agent, target: Target): Promise<Outcome> {
    const prepared = target.next();
    return new Promise((resolve) => {
      const started = performance.now();
      let settled = false;
      const finish = (problem?: string) => {
        if (settled) return;
        settled = true;
        resolve({ ok: !problem, ms: performance.now() - started, problem });
      };
      const request = http.request(
        { host: "127.0.0.1", port, method: prepared.method, path: prepared.path, agent, headers: prepared.headers },
        (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("end", () => finish(target.check(response.statusCode ?? 0, Buffer.concat(chunks).toString("utf8"))));
          response.on("error", (error) => finish(`response error: ${error.message}`));
        },
      );
      request.setTimeout(REQUEST_TIMEOUT_MS, () => request.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`)));
      request.on("error", (error) => finish(`request error: ${error.message}`));
      request.end(prepared.body);
    });
  }

  return {
    /**
     * Open loop: every route at `rate` requests/s, each request started at its own absolute time
     * whether or not earlier ones have answered. In each period the routes take the evenly spaced
     * offsets in a random order, so neither always follows the other. Latency is measured from the
     * moment the request is handed to the socket to the end of the answer; how late the generator
     * started requests against their schedule is reported separately.
     */
    async pacedPhase(targets, rate, seconds) {
      const agent = keepAliveAgent(256);
      const tallies = new Map(targets.map((target) => [target.name, newTally()]));
      const period = 1000 / rate;
      const slots: { at: number; target: Target }[] = [];
      const count = Math.round(rate * seconds);
      for (let i = 0; i < count; i++) {
        const order = [...targets].sort(() => Math.random() - 0.5);
        order.forEach((target, j) => slots.push({ at: i * period + (j * period) / targets.length, target }));
      }
      // Open the connections the schedule will reuse, so no measured request pays for a TCP handshake.
      await Promise.all(Array.from({ length: 16 }, () => send(agent, HEALTH_LIVE)));
      const lag: number[] = [];
      const inFlight: Promise<void>[] = [];
      const start = performance.now() + 20;
      let next = 0;
      await new Promise<void>((done) => {
        const tick = () => {
          const now = performance.now();
          while (next < slots.length && start + slots[next].at <= now) {
            const { at, target } = slots[next++];
            lag.push(performance.now() - (start + at));
            inFlight.push(send(agent, target).then((outcome) => record(tallies.get(target.name)!, outcome)));
          }
          if (next >= slots.length) return done();
          setTimeout(tick, Math.max(0, start + slots[next].at - performance.now()));
        };
        setTimeout(tick, Math.max(0, start - performance.now()));
      });
      await Promise.all(inFlight);
      agent.destroy();
      return { tallies, lag };
    },

    /** Closed loop: `connections` keep-alive connections, each sending its next request as soon as the last answered. */
    async closedLoop(target, connections, seconds, tally) {
      const agent = keepAliveAgent(connections);
      const start = performance.now();
      const stopAt = start + seconds * 1000;
      let completed = 0;
      let lastEnd = start;
      const worker = async () => {
        while (performance.now() < stopAt) {
          const outcome = await send(agent, target);
          record(tally, outcome);
          completed++;
          lastEnd = performance.now();
        }
      };
      await Promise.all(Array.from({ length: connections }, worker));
      agent.destroy();
      return { completed, elapsedMs: lastEnd - start };
    },
  };
}
