import type { Queryable } from "../db/database";
import type { TrackingNumberConfig } from "../config/tracking-number-config";
import { touchAtRing, type Touch } from "./touch-at-ring";

const TOUCH = touchAtRing({
  clientId: "e.client_id",
  trackingNumber: "e.tracking_number",
  numberType: "e.number_type",
  numberSource: "e.number_source",
  at: "e.at",
});

/** The touch of one contact with `config`'s number at `at` (see touchAtRing). */
export async function readTouchAt(tx: Queryable, config: TrackingNumberConfig, at: Date): Promise<Touch> {
  const [touch] = await tx.query<Touch>(
    `select ${TOUCH.columns}
       from (values ($1::text, $2::text, $3::text, $4::text, $5::timestamptz)) as e (client_id, tracking_number, number_type, number_source, at)
       ${TOUCH.join}`,
    [config.clientId, config.trackingNumber, config.numberType, config.source ?? null, at],
  );
  return touch;
}
