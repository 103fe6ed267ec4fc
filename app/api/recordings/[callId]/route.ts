// GET /api/recordings/[callId] – the inbox's audio player streams a call's voicemail through us.
import { getViewer } from "@/lib/auth/get-viewer";
import { getDatabase } from "@/lib/db/get-database";
import { streamCallRecording } from "@/lib/recordings/stream-call-recording";

export async function GET(request: Request, { params }: { params: Promise<{ callId: string }> }): Promise<Response> {
  const viewer = await getViewer();
  if (!viewer) return new Response("Sign in to hear recordings.\n", { status: 401, headers: { "content-type": "text/plain; charset=utf-8" } });
  const { callId } = await params;
  return streamCallRecording(await getDatabase(), viewer, callId, { range: request.headers.get("range"), signal: request.signal });
}
