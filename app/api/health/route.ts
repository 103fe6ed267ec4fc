// GET /api/health – uptime monitors: 200 when calls are logged and leads reach the pipeline, 503
// when the database is down or the outbox has fallen behind. No phone numbers, no secrets.
import { readHealth } from "@/lib/health/read-health";

export const dynamic = "force-dynamic";

export async function GET(): Promise<Response> {
  const health = await readHealth();
  return Response.json(health, { status: health.ok ? 200 : 503, headers: { "cache-control": "no-store" } });
}
