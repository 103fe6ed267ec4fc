export type OptOutKeyword = "STOP" | "START" | "HELP";

// Twilio's default keywords on long codes. "YES" also opts back in at Twilio, but it is too common
// a reply to read as one without Twilio's own OptOutType saying so.
const KEYWORDS: Record<string, OptOutKeyword> = {
  STOP: "STOP",
  STOPALL: "STOP",
  UNSUBSCRIBE: "STOP",
  CANCEL: "STOP",
  END: "STOP",
  QUIT: "STOP",
  REVOKE: "STOP",
  OPTOUT: "STOP",
  START: "START",
  UNSTOP: "START",
  HELP: "HELP",
  INFO: "HELP",
};

/** The opt-out keyword a text is, from Twilio's OptOutType when present, else its body alone. */
export function optOutKeyword(body: string, optOutType?: string): OptOutKeyword | undefined {
  const declared = optOutType?.trim().toUpperCase();
  if (declared === "STOP" || declared === "START" || declared === "HELP") return declared;
  const word = body.trim().toUpperCase().replace(/[\s.!]+$/, "");
  return KEYWORDS[word];
}
