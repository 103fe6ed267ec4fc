// GET /api/health – load balancers and uptime checks; also the benchmark's cheapest route.
export function GET(): Response {
  return Response.json({ ok: true });
}
