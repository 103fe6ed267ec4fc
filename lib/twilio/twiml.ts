import twilio from "twilio";

export const { VoiceResponse, MessagingResponse } = twilio.twiml;

export const EMPTY_TWIML = new VoiceResponse().toString();

/** An answer for Twilio: TwiML, plus work to run once the answer is on its way. */
export type WebhookAnswer = { twiml: string; afterResponse?: () => Promise<void> };
