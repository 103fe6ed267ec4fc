// GET /api/health/live – the process is up. Touches nothing else: a load balancer's liveness check,
// and the benchmarks' cheapest route.
export function GET(): Response {
  return Response.json({ ok: true });
}
