import { z } from "zod";
import { callerId, e164Phone, messageSid } from "../twilio/twilio-fields";

export const inboundSmsSchema = z
  .looseObject({
    MessageSid: messageSid,
    From: callerId,
    To: e164Phone,
    Body: z.string().max(1600 * 4, "is too long").default(""),
    NumMedia: z.coerce.number().int().min(0).max(10).default(0),
    NumSegments: z.coerce.number().int().min(0).optional().catch(undefined),
    OptOutType: z.string().optional(),
  })
  .transform((sms) => ({ ...sms, media: mediaOf(sms) }));
export type InboundSms = z.infer<typeof inboundSmsSchema>;

export type Media = { url: string; contentType?: string };

function mediaOf(sms: Record<string, unknown> & { NumMedia: number }): Media[] {
  const media: Media[] = [];
  for (let index = 0; index < sms.NumMedia; index += 1) {
    const url = sms[`MediaUrl${index}`];
    if (typeof url !== "string" || !/^https?:\/\//.test(url)) continue;
    const contentType = sms[`MediaContentType${index}`];
    media.push({ url, contentType: typeof contentType === "string" ? contentType : undefined });
  }
  return media;
}
