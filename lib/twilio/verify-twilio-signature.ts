import twilio from "twilio";

export type TwilioParams = Record<string, string | string[]>;

/**
 * Checks X-Twilio-Signature for a request Twilio made to `url` (the public URL it was configured
 * with, never the URL the server saw) with these form parameters. Any of the tokens may have
 * signed it: the current one, and the previous one during a rotation.
 */
export function isValidTwilioSignature(tokens: string | readonly string[], signature: string | null, url: string, params: TwilioParams): boolean {
  if (!signature) return false;
  const candidates = typeof tokens === "string" ? [tokens] : tokens;
  return candidates.some((token) => twilio.validateRequest(token, signature, url, params));
}
