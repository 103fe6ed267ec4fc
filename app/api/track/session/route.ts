// POST /api/track/session – the tracking script on a client's page asks which number this visit
// shows (a source number, a leased pool number, or none) and which printed numbers to swap.
import { answerTrackingPreflight } from "@/lib/tracking/answer-tracking-preflight";
import { startTrackingSession } from "@/lib/tracking/start-tracking-session";
import { trackSessionSchema } from "@/lib/tracking/tracking-requests";
import { trackingRoute } from "@/lib/tracking/tracking-route";

export const POST = trackingRoute(trackSessionSchema, startTrackingSession);
export const OPTIONS = answerTrackingPreflight;
