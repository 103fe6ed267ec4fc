// GET /api/inbox/changes?client=&lead= – an open inbox or thread asks every 2 s whether what it shows changed.
import { getViewer } from "@/lib/auth/get-viewer";
import { getDatabase } from "@/lib/db/get-database";
import { changeScopeSchema, readChangeMarker } from "@/lib/inbox/read-change-marker";

const NO_STORE = { "cache-control": "no-store" };

export async function GET(request: Request): Promise<Response> {
  const viewer = await getViewer();
  if (!viewer) return Response.json({ error: "Sign in to see the inbox." }, { status: 401, headers: NO_STORE });
  const query = new URL(request.url).searchParams;
  const scope = changeScopeSchema.safeParse({ client: query.get("client") || undefined, lead: query.get("lead") || undefined });
  if (!scope.success) return Response.json({ error: "client must be a client id and lead a lead id." }, { status: 400, headers: NO_STORE });
  const marker = await readChangeMarker(await getDatabase(), viewer, scope.data);
  return Response.json({ marker }, { headers: NO_STORE });
}
