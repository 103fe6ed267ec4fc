// POST /api/airtable/webhook – Airtable pings when the Client Configuration table, or a Lead
// Pipeline's Status, changes: that part is synced right after the answer, so an edited row counts on
// the next call and a status staff moved shows in the inbox.
import { after } from "next/server";
import { syncAfterAirtablePing } from "@/lib/config/sync-from-airtable";
import { verifyAirtablePing } from "@/lib/config/verify-airtable-ping";
import { PublicError } from "@/lib/http/public-error";

export async function POST(request: Request): Promise<Response> {
  let hook;
  try {
    hook = await verifyAirtablePing(request);
  } catch (error) {
    if (error instanceof PublicError) return Response.json({ error: error.message }, { status: error.status });
    throw error;
  }
  after(() => syncAfterAirtablePing(hook).catch((error) => console.error("sync after an Airtable ping failed:", error)));
  return new Response(null, { status: 204 });
}
