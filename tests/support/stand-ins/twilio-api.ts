import { randomBytes } from "node:crypto";
import { json, sleep, type StandIn } from "./stand-in";
import { MAX_PAGE_SIZE, refuseUnauthorized, rfc2822, twilioListPage } from "./twilio-rest";

export type SentMessage = { sid: string; to: string; from?: string; messagingServiceSid?: string; body: string; statusCallback?: string };

/** A call in the account's log. A forwarded call is two: the inbound parent and its `outbound-dial` child. */
export type CallLogEntry = {
  sid: string;
  parentCallSid?: string;
  from: string;
  to: string;
  status: "queued" | "ringing" | "in-progress" | "completed" | "busy" | "failed" | "no-answer" | "canceled";
  direction: "inbound" | "outbound-dial" | "outbound-api";
  startTime: Date;
  endTime?: Date;
  /** Whole seconds, as Twilio bills them. */
  duration?: number;
  /** What Twilio charged, as it reports it ("-0.01700"); absent until Twilio prices the call, after it ends. */
  price?: string;
  priceUnit?: string;
};

/** A message in the account's log, with the content types of its media (an MMS). */
export type MessageLogEntry = {
  sid: string;
  from: string;
  to: string;
  body: string;
  direction: "inbound" | "outbound-api" | "outbound-reply";
  dateSent: Date;
  numSegments?: number;
  media?: string[];
  /** What Twilio charged, as it reports it ("-0.00790"); absent until Twilio prices the message. */
  price?: string;
  priceUnit?: string;
};

type ListedResource = "Calls" | "Messages" | "Media";
type FetchedResource = "Call" | "Message";

/**
 * A short silent MP3, as Twilio serves a recording: MPEG-1 Layer III frames at 128 kbps and
 * 44.1 kHz whose side information is all zero, which every decoder (Chromium's too) plays as
 * silence. Each frame is 1152 samples, about 26 ms.
 */
export function silentMp3(seconds: number): Buffer {
  const frame = Buffer.alloc(417);
  frame.set([0xff, 0xfb, 0x90, 0x64]);
  return Buffer.concat(Array.from({ length: Math.ceil((seconds * 44_100) / 1152) }, () => frame));
}

const API = "/2010-04-01/Accounts";

/**
 * Twilio's REST API as the twilio package calls it: Basic auth with the account SID and token.
 * Messages.create takes a form body and answers 201 with the message and its segment count, or
 * Twilio's error JSON (code 21610 for an opted-out number); a created message joins the message log
 * as outbound-api, without a price. The Calls and Messages logs (and a message's Media) are listed
 * newest first with Twilio's paging: PageSize, Page, PageToken and a next_page_uri, and the filters
 * twilio-node sends (To, From, ParentCallSid, Status, StartTime>/<, EndTime>/<, DateSent>/<). One
 * call or message is fetched by its SID (404 with code 20404 when there is none). Prices are null
 * until `setPrice`, as Twilio prices a record some time after it ends.
 */
export function twilioApiStandIn(options: { accountSid: string; authToken: string }) {
  const sent: SentMessage[] = [];
  const attemptsTo = new Map<string, number>();
  const failures = new Map<string, { status: number; code: number; message: string; times: number }>();
  const whileAccepting = new Map<string, () => Promise<void>>();
  const calls: CallLogEntry[] = [];
  const messages: MessageLogEntry[] = [];
  const listRequests: { resource: ListedResource; query: URLSearchParams }[] = [];
  const fetchRequests: { resource: FetchedResource; sid: string }[] = [];
  const recordings = new Map<string, Buffer>();
  let latencyMs = 0;
  let pageSizeLimit = MAX_PAGE_SIZE;
  let logsDown = false;
  let fetchesDown = false;

  const handle: StandIn = async (request) => {
    const url = new URL(request.url);
    const route = routeOf(request.method, url.pathname);
    if (!route) return json(404, { code: 20404, message: "The requested resource was not found", status: 404 });
    const refused = refuseUnauthorized(request, route.accountSid, options);
    if (refused) return refused;
    if (latencyMs) await sleep(latencyMs);
    if (route.kind === "create-message") return createMessage(new URLSearchParams(await request.text()));
    if (route.kind === "Recording") return serveRecording(route.recordingSid, request.headers.get("range"));
    if (route.kind === "Call" || route.kind === "Message") return fetchOne(route.kind, route.sid, url.pathname);
    listRequests.push({ resource: route.kind, query: url.searchParams });
    if (logsDown) return json(503, { code: 20503, message: "Service unavailable", status: 503 });
    if (route.kind === "Media") {
      const message = messages.find((entry) => entry.sid === route.messageSid);
      if (!message) return json(404, { code: 20404, message: `The requested resource ${url.pathname} was not found`, status: 404 });
      return twilioListPage(url, "media_list", mediaJson(message), pageSizeLimit);
    }
    if (route.kind === "Calls") return twilioListPage(url, "calls", callsMatching(url.searchParams).map(callJson), pageSizeLimit);
    return twilioListPage(url, "messages", messagesMatching(url.searchParams).map(messageJson), pageSizeLimit);
  };

  async function createMessage(form: URLSearchParams): Promise<Response> {
    const to = form.get("To") ?? "";
    attemptsTo.set(to, (attemptsTo.get(to) ?? 0) + 1);
    const failure = failures.get(to);
    if (failure && failure.times > 0) {
      failure.times -= 1;
      return json(failure.status, { code: failure.code, message: failure.message, status: failure.status });
    }
    const meanwhile = whileAccepting.get(to);
    whileAccepting.delete(to);
    await meanwhile?.();
    const message: SentMessage = {
      sid: `SM${randomBytes(16).toString("hex")}`,
      to,
      from: form.get("From") ?? undefined,
      messagingServiceSid: form.get("MessagingServiceSid") ?? undefined,
      body: form.get("Body") ?? "",
      statusCallback: form.get("StatusCallback") ?? undefined,
    };
    sent.push(message);
    const logged: MessageLogEntry = { sid: message.sid, from: message.from ?? "", to, body: message.body, direction: "outbound-api", dateSent: new Date(), numSegments: segmentsOf(message.body) };
    messages.push(logged);
    return json(201, { ...messageJson(logged), status: "queued" });
  }

  function fetchOne(resource: FetchedResource, sid: string, pathname: string): Response {
    fetchRequests.push({ resource, sid });
    if (logsDown || fetchesDown) return json(503, { code: 20503, message: "Service unavailable", status: 503 });
    const call = resource === "Call" ? calls.find((entry) => entry.sid === sid) : undefined;
    const message = resource === "Message" ? messages.find((entry) => entry.sid === sid) : undefined;
    if (call) return json(200, callJson(call));
    if (message) return json(200, messageJson(message));
    return json(404, { code: 20404, message: `The requested resource ${pathname} was not found`, status: 404 });
  }

  /** The recording's audio, all of it or the one byte range asked for, as Twilio's media answers. */
  function serveRecording(recordingSid: string, range: string | null): Response {
    const audio = recordings.get(recordingSid);
    if (!audio) return json(404, { code: 20404, message: `The requested resource /Recordings/${recordingSid}.mp3 was not found`, status: 404 });
    const headers = { "content-type": "audio/mpeg", "accept-ranges": "bytes" };
    const asked = range ? /^bytes=(\d*)-(\d*)$/.exec(range) : null;
    if (!asked || (asked[1] === "" && asked[2] === "")) {
      return new Response(new Uint8Array(audio), { status: 200, headers: { ...headers, "content-length": String(audio.length) } });
    }
    const start = asked[1] === "" ? Math.max(0, audio.length - Number(asked[2])) : Number(asked[1]);
    const end = asked[1] === "" || asked[2] === "" ? audio.length - 1 : Math.min(Number(asked[2]), audio.length - 1);
    if (start >= audio.length || start > end) {
      return new Response(null, { status: 416, headers: { ...headers, "content-range": `bytes */${audio.length}` } });
    }
    return new Response(new Uint8Array(audio.subarray(start, end + 1)), {
      status: 206,
      headers: { ...headers, "content-length": String(end - start + 1), "content-range": `bytes ${start}-${end}/${audio.length}` },
    });
  }

  function callsMatching(query: URLSearchParams): CallLogEntry[] {
    return calls
      .filter(
        (call) =>
          matches(query.get("To"), call.to) &&
          matches(query.get("From"), call.from) &&
          matches(query.get("ParentCallSid"), call.parentCallSid) &&
          matches(query.get("Status"), call.status) &&
          inRange(query, "StartTime", call.startTime) &&
          inRange(query, "EndTime", call.endTime),
      )
      .sort((a, b) => b.startTime.getTime() - a.startTime.getTime());
  }

  function messagesMatching(query: URLSearchParams): MessageLogEntry[] {
    return messages
      .filter((message) => matches(query.get("To"), message.to) && matches(query.get("From"), message.from) && inRange(query, "DateSent", message.dateSent))
      .sort((a, b) => b.dateSent.getTime() - a.dateSent.getTime());
  }

  function callJson(call: CallLogEntry) {
    return {
      sid: call.sid,
      account_sid: options.accountSid,
      parent_call_sid: call.parentCallSid ?? null,
      from: call.from,
      to: call.to,
      status: call.status,
      direction: call.direction,
      start_time: rfc2822(call.startTime),
      end_time: call.endTime ? rfc2822(call.endTime) : null,
      duration: call.duration === undefined ? null : String(call.duration),
      date_created: rfc2822(call.startTime),
      date_updated: rfc2822(call.endTime ?? call.startTime),
      price: call.price ?? null,
      price_unit: call.priceUnit ?? "USD",
      api_version: "2010-04-01",
      uri: `${API}/${options.accountSid}/Calls/${call.sid}.json`,
    };
  }

  function messageJson(message: MessageLogEntry) {
    return {
      sid: message.sid,
      account_sid: options.accountSid,
      from: message.from,
      to: message.to,
      body: message.body,
      direction: message.direction,
      status: message.direction === "inbound" ? "received" : "delivered",
      num_segments: String(message.numSegments ?? 1),
      num_media: String(message.media?.length ?? 0),
      date_sent: rfc2822(message.dateSent),
      date_created: rfc2822(message.dateSent),
      date_updated: rfc2822(message.dateSent),
      error_code: null,
      error_message: null,
      messaging_service_sid: null,
      price: message.price ?? null,
      price_unit: message.priceUnit ?? "USD",
      api_version: "2010-04-01",
      uri: `${API}/${options.accountSid}/Messages/${message.sid}.json`,
      subresource_uris: { media: `${API}/${options.accountSid}/Messages/${message.sid}/Media.json` },
    };
  }

  function mediaJson(message: MessageLogEntry) {
    return (message.media ?? []).map((contentType, index) => {
      const sid = `ME${message.sid.slice(2, 32)}${String(index).padStart(2, "0")}`;
      return {
        sid,
        account_sid: options.accountSid,
        parent_sid: message.sid,
        content_type: contentType,
        date_created: rfc2822(message.dateSent),
        date_updated: rfc2822(message.dateSent),
        uri: `${API}/${options.accountSid}/Messages/${message.sid}/Media/${sid}.json`,
      };
    });
  }

  return {
    handle,
    sent,
    /** Every list request the stand-in answered, page by page. */
    listRequests,
    /** Every call or message fetched by its SID. */
    fetchRequests,
    /** Refuses texts to this number with Twilio's error JSON, `times` times (default: always). */
    failFor(to: string, failure: { status?: number; code: number; message?: string; times?: number }) {
      failures.set(to, { status: failure.status ?? 400, code: failure.code, message: failure.message ?? "error", times: failure.times ?? Infinity });
    },
    /** Runs `work` once, while accepting the next text to this number: what happens meanwhile elsewhere. */
    whileAccepting(to: string, work: () => Promise<void>) {
      whileAccepting.set(to, work);
    },
    attempts(to: string): number {
      return attemptsTo.get(to) ?? 0;
    },
    setLatency(ms: number) {
      latencyMs = ms;
    },
    /** Puts a call in the account's call log. */
    addCall(call: CallLogEntry) {
      calls.push(call);
    },
    /** Keeps a recording's audio (by default 3 s of silent MP3) at its media URL. */
    addRecording(recordingSid: string, audio: Buffer = silentMp3(3)) {
      recordings.set(recordingSid, audio);
    },
    /** Puts a message in the account's message log. */
    addMessage(message: MessageLogEntry) {
      messages.push(message);
    },
    /** A logged call or message, by its SID. */
    logged(sid: string): CallLogEntry | MessageLogEntry | undefined {
      return calls.find((call) => call.sid === sid) ?? messages.find((message) => message.sid === sid);
    },
    /** Twilio prices a logged call or message, as it does some time after it ends: "-0.0085" (a charge). */
    setPrice(sid: string, price: string, priceUnit = "USD") {
      const record = calls.find((call) => call.sid === sid) ?? messages.find((message) => message.sid === sid);
      if (!record) throw new Error(`no call or message ${sid} in the stand-in's logs to price`);
      Object.assign(record, { price, priceUnit });
    },
    /** Answers every log listing 503 until `logsUp()`; sending texts still works. */
    logsDown() {
      logsDown = true;
    },
    logsUp() {
      logsDown = false;
    },
    /** Answers every fetch of one call or message 503 (listings still work) until `fetchesUp()`. */
    fetchesDown() {
      fetchesDown = true;
    },
    fetchesUp() {
      fetchesDown = false;
    },
    /** Serves at most this many records per page, whatever PageSize asks, so tests walk several pages. */
    limitPageSize(size: number) {
      pageSizeLimit = size;
    },
    reset() {
      sent.length = 0;
      attemptsTo.clear();
      failures.clear();
      whileAccepting.clear();
      calls.length = 0;
      messages.length = 0;
      listRequests.length = 0;
      fetchRequests.length = 0;
      recordings.clear();
      latencyMs = 0;
      pageSizeLimit = MAX_PAGE_SIZE;
      logsDown = false;
      fetchesDown = false;
    },
  };
}
export type TwilioApiStandIn = ReturnType<typeof twilioApiStandIn>;

type Route =
  | { accountSid: string; kind: "create-message" | "Calls" | "Messages" }
  | { accountSid: string; kind: FetchedResource; sid: string }
  | { accountSid: string; kind: "Media"; messageSid: string }
  | { accountSid: string; kind: "Recording"; recordingSid: string };

function routeOf(method: string, pathname: string): Route | undefined {
  const messageCreate = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(pathname);
  if (messageCreate && method === "POST") return { accountSid: messageCreate[1], kind: "create-message" };
  if (method !== "GET") return undefined;
  const list = /^\/2010-04-01\/Accounts\/([^/]+)\/(Calls|Messages)\.json$/.exec(pathname);
  if (list) return { accountSid: list[1], kind: list[2] as "Calls" | "Messages" };
  const one = /^\/2010-04-01\/Accounts\/([^/]+)\/(Calls|Messages)\/((?:CA|SM|MM)[0-9a-fA-F]{32})\.json$/.exec(pathname);
  if (one) return { accountSid: one[1], kind: one[2] === "Calls" ? "Call" : "Message", sid: one[3] };
  const media = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\/([^/]+)\/Media\.json$/.exec(pathname);
  if (media) return { accountSid: media[1], kind: "Media", messageSid: media[2] };
  const recording = /^\/2010-04-01\/Accounts\/([^/]+)\/Recordings\/(RE[0-9a-fA-F]{32})\.mp3$/.exec(pathname);
  if (recording) return { accountSid: recording[1], kind: "Recording", recordingSid: recording[2] };
  return undefined;
}

const matches = (wanted: string | null, value: string | undefined) => wanted === null || wanted === value;

// twilio-node sends `StartTime>` and `StartTime<` (Twilio reads them as on-or-after and
// on-or-before), or a plain `StartTime` for one day; a record without the time never matches a bound.
function inRange(query: URLSearchParams, field: string, value: Date | undefined): boolean {
  const after = query.get(`${field}>`);
  const before = query.get(`${field}<`);
  const on = query.get(field);
  if (after === null && before === null && on === null) return true;
  if (!value) return false;
  if (after !== null && value.getTime() < Date.parse(after)) return false;
  if (before !== null && value.getTime() > Date.parse(before)) return false;
  if (on !== null && value.toISOString().slice(0, 10) !== on.slice(0, 10)) return false;
  return true;
}

/** Twilio's own count of a text's segments, simplified: plain ASCII as GSM-7 (160 in one, 153 each beyond), anything else as UCS-2 (70, then 67). */
export function segmentsOf(body: string): number {
  const [single, each] = /^[\x20-\x7e\n\r]*$/.test(body) ? [160, 153] : [70, 67];
  return body.length <= single ? 1 : Math.ceil(body.length / each);
}
