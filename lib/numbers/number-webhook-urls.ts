/**
 * Where a tracking number's webhooks must point, as the twilio package names an
 * IncomingPhoneNumber's fields. The fallbacks are the same routes: Twilio asks them only when the
 * first request failed (a timeout, a 5xx), and both routes are idempotent per CallSid and
 * MessageSid, so the second try can only fill in what the first missed.
 */
export type NumberWebhookUrls = {
  voiceUrl: string;
  voiceMethod: "POST";
  voiceFallbackUrl: string;
  voiceFallbackMethod: "POST";
  statusCallback: string;
  statusCallbackMethod: "POST";
  smsUrl: string;
  smsMethod: "POST";
  smsFallbackUrl: string;
  smsFallbackMethod: "POST";
};

export function numberWebhookUrls(publicBaseUrl: string): NumberWebhookUrls {
  const voice = `${publicBaseUrl}/api/twilio/voice`;
  const sms = `${publicBaseUrl}/api/twilio/sms`;
  return {
    voiceUrl: voice,
    voiceMethod: "POST",
    voiceFallbackUrl: voice,
    voiceFallbackMethod: "POST",
    statusCallback: `${publicBaseUrl}/api/twilio/status`,
    statusCallbackMethod: "POST",
    smsUrl: sms,
    smsMethod: "POST",
    smsFallbackUrl: sms,
    smsFallbackMethod: "POST",
  };
}

/** The fields of a number that do not point where they must, by the twilio package's names (methods in any case). */
export function misdirectedWebhooks(number: Partial<Record<keyof NumberWebhookUrls, string | null>>, publicBaseUrl: string): (keyof NumberWebhookUrls)[] {
  const expected = numberWebhookUrls(publicBaseUrl);
  return (Object.keys(expected) as (keyof NumberWebhookUrls)[]).filter((field) => {
    const actual = number[field] ?? "";
    return field.endsWith("Method") ? actual.toUpperCase() !== expected[field] : actual !== expected[field];
  });
}
