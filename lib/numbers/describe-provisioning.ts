import { numberWebhookUrls } from "./number-webhook-urls";
import { newRowFields } from "./plan-new-rows";
import type { ProvisionReport } from "./provision-numbers";

const RELEASE_BY_HAND = "in the Twilio console (Phone Numbers > Manage > Active numbers)";

/** What `npm run numbers:provision` prints: what it would do, what it did, or what it undid and what is left to a person. */
export function describeProvisioning(report: ProvisionReport, context: { publicBaseUrl: string; configTable: string }): string[] {
  const { options, plan } = report;
  const what = `${options.clientId} (${plan.clientName})${options.source ? `, ${options.source}` : ""}, ${options.numberType}`;
  if (options.dryRun) {
    const wouldBuy = report.found.slice(0, options.count);
    return [
      "Dry run: nothing was bought and nothing was written.",
      `Twilio offers ${report.found.length} number${report.found.length === 1 ? "" : "s"} in area code ${options.areaCode}; it would buy ${wouldBuy.join(", ")} (or the next offered, if one is sold meanwhile).`,
      pointing(context.publicBaseUrl, "Each would point"),
      `It would add ${wouldBuy.length} row${wouldBuy.length === 1 ? "" : "s"} to "${context.configTable}" for ${what}${plan.copiedFrom ? `, copying the client's settings from row ${plan.copiedFrom}` : ""}:`,
      ...wouldBuy.map((number) => `  ${describeRow(newRowFields(plan, number))}`),
    ];
  }
  if (!report.error) {
    return [
      `Bought ${report.configured.length} number${report.configured.length === 1 ? "" : "s"} in area code ${options.areaCode} for ${what}:`,
      ...report.configured.map(({ phoneNumber, recordId }) => `  ${phoneNumber}  row ${recordId}`),
      pointing(context.publicBaseUrl, "Each points"),
      `Their rows are in "${context.configTable}"${plan.copiedFrom ? `, with the client's settings copied from row ${plan.copiedFrom}` : ""}. A call or text routes at once (a new number's row is read on its first call); the tracking script hands out a new number after the next config sync.`,
    ];
  }
  const lines = [`Provisioning stopped: ${report.error}`];
  lines.push(`Configured (bought, pointed at ${context.publicBaseUrl}, row added): ${list(report.configured.map((row) => `${row.phoneNumber} (row ${row.recordId})`))}`);
  lines.push(`Bought and released again: ${list(report.released)}`);
  for (const { phoneNumber, error } of report.releaseByHand) lines.push(`Release ${phoneNumber} by hand ${RELEASE_BY_HAND}: its release failed (${error}).`);
  if (report.checkByHand) lines.push(`Look for ${report.checkByHand} ${RELEASE_BY_HAND} and release it if it is there: its purchase may have gone through.`);
  if (report.rowsToCheck) lines.push(`Look in "${context.configTable}" for rows of ${report.rowsToCheck.join(", ")} and delete them if they are there: the table could not be read to tell.`);
  return lines;
}

function pointing(publicBaseUrl: string, subject: string): string {
  const urls = numberWebhookUrls(publicBaseUrl);
  return `${subject} at ${publicBaseUrl}: calls to ${urls.voiceUrl}, call status to ${urls.statusCallback}, texts to ${urls.smsUrl} (POST, the same URLs as fallbacks).`;
}

function describeRow(fields: Record<string, unknown>): string {
  return Object.entries(fields)
    .map(([field, value]) => `${field}: ${typeof value === "boolean" ? (value ? "ticked" : "unticked") : String(value).replaceAll("\n", " / ")}`)
    .join("; ");
}

const list = (items: string[]) => (items.length === 0 ? "none" : items.join(", "));
