// A voicemail as Twilio keeps it: a recording SID, the RecordingUrl Twilio sends in the <Record>
// action, and the media behind it, which the Twilio stand-in serves only with the account's credentials.
import type { AppUnderTest } from "./app-under-test";
import { silentMp3 } from "../../support/stand-ins/twilio-api";
import { sid } from "../../support/twilio-webhook";

export type Recording = { sid: string; url: string; seconds: number };

export function newRecording(app: AppUnderTest): Recording {
  const recordingSid = sid("RE");
  const seconds = 3;
  app.twilio.addRecording(recordingSid, silentMp3(seconds));
  return { sid: recordingSid, url: `https://api.twilio.com/2010-04-01/Accounts/${app.accountSid}/Recordings/${recordingSid}`, seconds };
}
