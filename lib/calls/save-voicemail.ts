import { z } from "zod";
import { bestEffort } from "../db/best-effort";
import { getDatabase } from "../db/get-database";
import { optionalSeconds, twilioSid } from "../twilio/twilio-fields";
import { VoiceResponse, type WebhookAnswer } from "../twilio/twiml";

export const voicemailSchema = z.looseObject({
  CallSid: twilioSid("CA"),
  RecordingSid: twilioSid("RE").optional(),
  RecordingUrl: z.url({ error: "must be a URL" }).optional(),
  RecordingDuration: optionalSeconds,
});
export type VoicemailWebhook = z.infer<typeof voicemailSchema>;

/** The <Record> action after the voicemail prompt: keeps the recording on the call and hangs up. */
export async function saveVoicemail(voicemail: VoicemailWebhook): Promise<WebhookAnswer> {
  if (voicemail.RecordingUrl) {
    await bestEffort(`saving the voicemail of ${voicemail.CallSid}`, async () =>
      (await getDatabase()).query(
        `update public.calls set recording_sid = $2, recording_url = $3, recording_duration_seconds = $4 where call_sid = $1`,
        [voicemail.CallSid, voicemail.RecordingSid ?? null, voicemail.RecordingUrl, voicemail.RecordingDuration ?? null],
      ),
    );
  }
  const response = new VoiceResponse();
  response.hangup();
  return { twiml: response.toString() };
}
