import { wakeOutboxDrainer } from "../outbox/drain-outbox";
import { notifyNewLeads } from "../push/notify-new-leads";

/**
 * What every Twilio webhook runs after its own deferred work, each a speed-up over the cron's
 * floor: pushes the new leads waiting (any webhook may have written one, a status callback too),
 * then wakes the outbox drainer. The push goes first: one quick request per browser, where the
 * drainer may take seconds.
 */
export async function afterTwilioWebhook(): Promise<void> {
  await notifyNewLeads();
  await wakeOutboxDrainer();
}
