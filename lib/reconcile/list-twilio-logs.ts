import { z } from "zod";
import type { Media } from "../sms/inbound-sms";
import { loggedCallSchema, twilioCount, twilioPrice, twilioPriceUnit, twilioText, twilioTime, type LoggedCall } from "../twilio/logged-call";
import type { TwilioRestClient } from "../twilio/twilio-rest-client";

export type { LoggedCall };

// Twilio's largest page: a busy two-hour window is then one request or a few.
const PAGE_SIZE = 1000;
const TWILIO_API_ORIGIN = "https://api.twilio.com";

export const loggedMessageSchema = z
  .object({
    sid: z.string(),
    from: twilioText,
    to: twilioText,
    body: twilioText,
    direction: z.string(),
    dateSent: twilioTime,
    dateCreated: twilioTime,
    numSegments: twilioCount,
    numMedia: twilioCount,
    price: twilioPrice,
    priceUnit: twilioPriceUnit,
  })
  .transform(({ dateSent, dateCreated, ...message }) => ({ ...message, sentAt: dateSent ?? dateCreated }));
export type LoggedMessage = z.infer<typeof loggedMessageSchema>;

export type TwilioLogs = { calls: (LoggedCall & { startTime: Date })[]; messages: (LoggedMessage & { sentAt: Date })[]; unreadable: number };

/**
 * Every call (parents and their `<Dial>` legs) and message the account logged in the window, with
 * Twilio's price where it has one, oldest first, page by page through the twilio package. The window is checked again here, so it
 * holds whatever precision Twilio gives its date filters.
 */
export async function listTwilioLogs(client: TwilioRestClient, window: { start: Date; end: Date }): Promise<TwilioLogs> {
  const [calls, messages] = await Promise.all([
    client.calls.list({ startTimeAfter: window.start, pageSize: PAGE_SIZE }),
    client.messages.list({ dateSentAfter: window.start, pageSize: PAGE_SIZE }),
  ]);
  const parsedCalls = calls.map((call) => loggedCallSchema.safeParse(call));
  const parsedMessages = messages.map((message) => loggedMessageSchema.safeParse(message));
  const within = (at: Date | undefined): at is Date => at !== undefined && at >= window.start && at <= window.end;
  const timedCalls = parsedCalls.flatMap((parsed) => {
    const startTime = parsed.data?.startTime;
    return parsed.success && within(startTime) ? [{ ...parsed.data, startTime }] : [];
  });
  const timedMessages = parsedMessages.flatMap((parsed) => {
    const sentAt = parsed.data?.sentAt;
    return parsed.success && within(sentAt) ? [{ ...parsed.data, sentAt }] : [];
  });
  return {
    calls: timedCalls.sort((a, b) => a.startTime.getTime() - b.startTime.getTime()),
    messages: timedMessages.sort((a, b) => a.sentAt.getTime() - b.sentAt.getTime()),
    unreadable: [...parsedCalls, ...parsedMessages].filter((parsed) => !parsed.success).length,
  };
}

/** An MMS's media, as the URLs Twilio's webhook would have given (its log only counts them). */
export async function listMessageMedia(client: TwilioRestClient, messageSid: string): Promise<Media[]> {
  const media = await client.messages(messageSid).media.list({ pageSize: PAGE_SIZE });
  return media.map((item) => ({ url: `${TWILIO_API_ORIGIN}${item.uri.replace(/\.json$/, "")}`, contentType: item.contentType }));
}
