// POST /api/track/heartbeat – the tracking script, every minute while the page is open, keeps the
// visitor's leased pool number; `held: false` sends it back for a new session.
import { answerTrackingPreflight } from "@/lib/tracking/answer-tracking-preflight";
import { keepTrackingNumber } from "@/lib/tracking/keep-tracking-number";
import { trackHeartbeatSchema } from "@/lib/tracking/tracking-requests";
import { trackingRoute } from "@/lib/tracking/tracking-route";

export const POST = trackingRoute(trackHeartbeatSchema, keepTrackingNumber);
export const OPTIONS = answerTrackingPreflight;
