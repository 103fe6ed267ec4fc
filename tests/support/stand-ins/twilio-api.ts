import { randomBytes } from "node:crypto";
import { json, sleep, type StandIn } from "./stand-in";

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
};

type ListedResource = "Calls" | "Messages" | "Media";

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
const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 1000;

/**
 * Twilio's REST API as the twilio package calls it: Basic auth with the account SID and token.
 * Messages.create takes a form body and answers 201 with the message, or Twilio's error JSON
 * (code 21610 for an opted-out number). The Calls and Messages logs (and a message's Media) are
 * listed newest first with Twilio's paging: PageSize, Page, PageToken and a next_page_uri, and the
 * filters twilio-node sends (To, From, ParentCallSid, Status, StartTime>/<, EndTime>/<, DateSent>/<).
 */
export function twilioApiStandIn(options: { accountSid: string; authToken: string }) {
  const sent: SentMessage[] = [];
  const attemptsTo = new Map<string, number>();
  const failures = new Map<string, { status: number; code: number; message: string; times: number }>();
  const whileAccepting = new Map<string, () => Promise<void>>();
  const calls: CallLogEntry[] = [];
  const messages: MessageLogEntry[] = [];
  const listRequests: { resource: ListedResource; query: URLSearchParams }[] = [];
  const recordings = new Map<string, Buffer>();
  let latencyMs = 0;
  let pageSizeLimit = MAX_PAGE_SIZE;
  let logsDown = false;

  const handle: StandIn = async (request) => {
    const url = new URL(request.url);
    const route = routeOf(request.method, url.pathname);
    if (!route) return json(404, { code: 20404, message: "The requested resource was not found", status: 404 });
    const expected = `Basic ${Buffer.from(`${options.accountSid}:${options.authToken}`).toString("base64")}`;
    if (route.accountSid !== options.accountSid || request.headers.get("authorization") !== expected) {
      return json(401, { code: 20003, message: "Authenticate", status: 401 });
    }
    if (latencyMs) await sleep(latencyMs);
    if (route.kind === "create-message") return createMessage(new URLSearchParams(await request.text()));
    if (route.kind === "Recording") return serveRecording(route.recordingSid, request.headers.get("range"));
    listRequests.push({ resource: route.kind, query: url.searchParams });
    if (logsDown) return json(503, { code: 20503, message: "Service unavailable", status: 503 });
    if (route.kind === "Media") {
      const message = messages.find((entry) => entry.sid === route.messageSid);
      if (!message) return json(404, { code: 20404, message: `The requested resource ${url.pathname} was not found`, status: 404 });
      return listPage(url, "media_list", mediaJson(message));
    }
    if (route.kind === "Calls") return listPage(url, "calls", callsMatching(url.searchParams).map(callJson));
    return listPage(url, "messages", messagesMatching(url.searchParams).map(messageJson));
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
    return json(201, { sid: message.sid, account_sid: options.accountSid, to, from: message.from, body: message.body, status: "queued" });
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
      price: null,
      price_unit: "USD",
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
      price: null,
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

  /**
   * One page, as Twilio pages a list: PageToken names the last record of the page before (so a
   * record logged meanwhile does not shift the pages), Page is only its number, and next_page_uri
   * repeats the query with both.
   */
  function listPage(url: URL, key: string, records: { sid: string }[]): Response {
    const query = url.searchParams;
    const pageSize = Math.min(Number(query.get("PageSize") ?? DEFAULT_PAGE_SIZE), pageSizeLimit);
    const page = Number(query.get("Page") ?? 0);
    const token = query.get("PageToken");
    const start = token ? records.findIndex((record) => `PA${record.sid}` === token) + 1 : page * pageSize;
    const items = records.slice(start, start + pageSize);
    const uriWith = (changes: Record<string, string>) => {
      const next = new URLSearchParams(query);
      for (const [name, value] of Object.entries(changes)) next.set(name, value);
      return `${url.pathname}?${next.toString()}`;
    };
    const hasNext = start + pageSize < records.length;
    return json(200, {
      [key]: items,
      page,
      page_size: pageSize,
      start,
      end: start + items.length - 1,
      uri: uriWith({ PageSize: String(pageSize), Page: String(page) }),
      first_page_uri: uriWith({ PageSize: String(pageSize), Page: "0" }),
      previous_page_uri: null,
      next_page_uri: hasNext ? uriWith({ PageSize: String(pageSize), Page: String(page + 1), PageToken: `PA${items.at(-1)!.sid}` }) : null,
    });
  }

  return {
    handle,
    sent,
    /** Every list request the stand-in answered, page by page. */
    listRequests,
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
    /** Answers every log listing 503 until `logsUp()`; sending texts still works. */
    logsDown() {
      logsDown = true;
    },
    logsUp() {
      logsDown = false;
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
      recordings.clear();
      latencyMs = 0;
      pageSizeLimit = MAX_PAGE_SIZE;
      logsDown = false;
    },
  };
}
export type TwilioApiStandIn = ReturnType<typeof twilioApiStandIn>;

type Route =
  | { accountSid: string; kind: "create-message" | "Calls" | "Messages" }
  | { accountSid: string; kind: "Media"; messageSid: string }
  | { accountSid: string; kind: "Recording"; recordingSid: string };

function routeOf(method: string, pathname: string): Route | undefined {
  const messageCreate = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(pathname);
  if (messageCreate && method === "POST") return { accountSid: messageCreate[1], kind: "create-message" };
  if (method !== "GET") return undefined;
  const list = /^\/2010-04-01\/Accounts\/([^/]+)\/(Calls|Messages)\.json$/.exec(pathname);
  if (list) return { accountSid: list[1], kind: list[2] as "Calls" | "Messages" };
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

// Twilio's dates: "Tue, 31 Aug 2010 20:36:28 +0000".
const rfc2822 = (date: Date) => date.toUTCString().replace("GMT", "+0000");
