import type { Delivery } from "./read-thread";

export type DeliveryTone = "pending" | "done" | "failed";

// Twilio's error codes a client meets most, in words; the rest show their number.
const ERRORS: Record<number, string> = {
  21610: "the number opted out",
  21614: "not a mobile number",
  30003: "the phone is unreachable",
  30005: "the number does not exist",
  30006: "a landline or an unreachable carrier",
  30007: "filtered by the carrier",
  30008: "unknown carrier error",
};

// "Failed to deliver" rather than "Undelivered": a text is never labelled with the word "delivered"
// before Twilio says it was.
const LABELS: Record<string, [string, DeliveryTone]> = {
  simulated: ["Simulated (no Twilio account)", "done"],
  relayed: ["Sending", "pending"],
  accepted: ["Queued", "pending"],
  scheduled: ["Scheduled", "pending"],
  queued: ["Queued", "pending"],
  sending: ["Sending", "pending"],
  sent: ["Sent", "pending"],
  delivered: ["Delivered", "done"],
  read: ["Read", "done"],
  undelivered: ["Failed to deliver", "failed"],
  failed: ["Failed", "failed"],
  canceled: ["Canceled", "failed"],
};

/** Where a text stands, in a word or two for the thread: "Delivered", "Failed (error 30007: filtered by the carrier)". */
export function describeDelivery(delivery: Delivery): { label: string; tone: DeliveryTone } {
  const [label, tone] = LABELS[delivery.status] ?? [delivery.status.charAt(0).toUpperCase() + delivery.status.slice(1), "pending"];
  if (delivery.errorCode === null) return { label, tone };
  const meaning = ERRORS[delivery.errorCode];
  return { label: `${label} (error ${delivery.errorCode}${meaning ? `: ${meaning}` : ""})`, tone };
}
