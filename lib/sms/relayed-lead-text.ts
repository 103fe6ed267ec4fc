import { formatPhoneForPeople } from "../phone/normalize-phone";

const MAX_SMS_BODY = 1600;

/** What the client's mobile gets for a lead's text: who wrote, then the text, cut to one SMS's 1,600 characters. */
export function relayedLeadText(from: string, body: string): string {
  const text = `Lead ${formatPhoneForPeople(from)}: ${body}`.trimEnd();
  return text.length > MAX_SMS_BODY ? `${text.slice(0, MAX_SMS_BODY - 1)}…` : text;
}
