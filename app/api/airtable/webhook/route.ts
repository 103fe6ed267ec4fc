// POST /api/airtable/webhook – Airtable pings when the Client Configuration table changes: the
// snapshot is synced right after the answer, so an edited row counts on the next call.
import { after } from "next/server";
import { syncFromAirtable } from "@/lib/config/sync-from-airtable";
import { verifyAirtablePing } from "@/lib/config/verify-airtable-ping";
import { PublicError } from "@/lib/http/public-error";

export async function POST(request: Request): Promise<Response> {
  try {
    await verifyAirtablePing(request);
  } catch (error) {
    if (error instanceof PublicError) return Response.json({ error: error.message }, { status: error.status });
    throw error;
  }
  after(() => syncFromAirtable().then(() => undefined, (error) => console.error("sync after an Airtable ping failed:", error)));
  return new Response(null, { status: 204 });
}
