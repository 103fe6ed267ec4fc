import { randomBytes } from "node:crypto";
import type { NumberWebhookUrls } from "@/lib/numbers/number-webhook-urls";
import { json, type StandIn } from "./stand-in";
import type { TwilioApiStandIn } from "./twilio-api";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, refuseUnauthorized, rfc2822, twilioListPage } from "./twilio-rest";

type WebhookField = keyof NumberWebhookUrls;
export type Webhooks = Partial<Record<WebhookField, string>>;

/** A number on the account, as the stand-in keeps it. */
export type OwnedNumber = { sid: string; phoneNumber: string; friendlyName: string; webhooks: Record<WebhookField, string>; createdAt: Date };

export type PhoneNumberOperation = "search" | "purchase" | "update" | "release" | "list";

/** What a request of one operation is refused with, and which requests: the nth of its kind, or those for one number. */
export type InjectedFailure = {
  /** Only the nth request of this operation (1-based, counted since the last reset). */
  nth?: number;
  /** Only requests for this number (E.164). */
  phoneNumber?: string;
  status?: number;
  code?: number;
  message?: string;
  /** How many matching requests fail (default: every one). */
  times?: number;
  /** Do the work first and then answer the error, as when Twilio's answer is lost on the way back. */
  afterApplying?: boolean;
};

export type PhoneNumberRequest = { operation: PhoneNumberOperation; phoneNumber?: string; params: Record<string, string>; status: number };

// The form names twilio-node sends and the JSON names Twilio answers with, for each webhook field.
const FIELDS: Record<WebhookField, { form: string; json: string }> = {
  voiceUrl: { form: "VoiceUrl", json: "voice_url" },
  voiceMethod: { form: "VoiceMethod", json: "voice_method" },
  voiceFallbackUrl: { form: "VoiceFallbackUrl", json: "voice_fallback_url" },
  voiceFallbackMethod: { form: "VoiceFallbackMethod", json: "voice_fallback_method" },
  statusCallback: { form: "StatusCallback", json: "status_callback" },
  statusCallbackMethod: { form: "StatusCallbackMethod", json: "status_callback_method" },
  smsUrl: { form: "SmsUrl", json: "sms_url" },
  smsMethod: { form: "SmsMethod", json: "sms_method" },
  smsFallbackUrl: { form: "SmsFallbackUrl", json: "sms_fallback_url" },
  smsFallbackMethod: { form: "SmsFallbackMethod", json: "sms_fallback_method" },
};
const WEBHOOK_FIELDS = Object.keys(FIELDS) as WebhookField[];
// What Twilio gives a number bought without URLs: nothing to call, methods POST.
const UNSET_WEBHOOKS = Object.fromEntries(WEBHOOK_FIELDS.map((field) => [field, field.endsWith("Method") ? "POST" : ""])) as Record<WebhookField, string>;

const API = "/2010-04-01/Accounts";
const NANP = /^\+1(\d{3})(\d{3})(\d{4})$/;

/**
 * Twilio's phone-number resources as the twilio package calls them, with the same Basic auth as
 * twilio-api.ts: the search of local numbers for sale (`AvailablePhoneNumbers/{Country}/Local.json`
 * with AreaCode, Contains, SmsEnabled, VoiceEnabled, PageSize; US numbers only), and the account's
 * IncomingPhoneNumbers: buy (POST with PhoneNumber, or AreaCode for any number there, and the URLs
 * and methods), list (PhoneNumber and FriendlyName filters, Twilio's paging), update (POST to the
 * number's PN sid; only the fields sent change, "" clears one) and release (DELETE, 204). A number
 * no longer for sale is refused 400 with code 21422; an unknown sid is 404 with code 20404.
 * Failures are injected per operation (`fail`).
 */
export function twilioPhoneNumbersStandIn(options: { accountSid: string; authToken: string }) {
  const forSale = new Set<string>();
  const owned: OwnedNumber[] = [];
  const requests: PhoneNumberRequest[] = [];
  const counts = new Map<PhoneNumberOperation, number>();
  let failures: { operation: PhoneNumberOperation; failure: InjectedFailure; left: number }[] = [];
  let urlsIgnoredOnPurchase = false;
  let pageSizeLimit = MAX_PAGE_SIZE;

  const handle: StandIn = async (request) => {
    const url = new URL(request.url);
    const route = routeOf(request.method, url.pathname);
    if (!route) return json(404, { code: 20404, message: "The requested resource was not found", status: 404 });
    const refused = refuseUnauthorized(request, route.accountSid, options);
    if (refused) return refused;
    const params = request.method === "POST" ? Object.fromEntries(new URLSearchParams(await request.text())) : Object.fromEntries(url.searchParams);
    const target = route.sid ? owned.find((number) => number.sid === route.sid) : undefined;
    const phoneNumber = target?.phoneNumber ?? params.PhoneNumber;
    const count = (counts.get(route.operation) ?? 0) + 1;
    counts.set(route.operation, count);
    const injected = takeFailure(route.operation, count, phoneNumber);

    let answer: Response;
    if (injected && !injected.afterApplying) answer = failureResponse(injected);
    else {
      answer = serve(route, url, params, target);
      if (injected) answer = failureResponse(injected);
    }
    requests.push({ operation: route.operation, phoneNumber, params, status: answer.status });
    return answer;
  };

  function serve(route: Route, url: URL, params: Record<string, string>, target: OwnedNumber | undefined): Response {
    switch (route.operation) {
      case "search":
        return search(route.country, url, params);
      case "purchase":
        return purchase(params);
      case "list":
        return twilioListPage(url, "incoming_phone_numbers", owned.filter((number) => listed(number, params)).map(numberJson), pageSizeLimit);
      case "update":
        if (!target) return notFound(url);
        applyWebhooks(target, params);
        if (params.FriendlyName !== undefined) target.friendlyName = params.FriendlyName;
        return json(200, numberJson(target));
      case "release":
        if (!target) return notFound(url);
        owned.splice(owned.indexOf(target), 1);
        return new Response(null, { status: 204 });
    }
  }

  function search(country: string, url: URL, params: Record<string, string>): Response {
    if (country !== "US") return json(404, { code: 20404, message: `The requested resource ${url.pathname} was not found`, status: 404 });
    const contains = params.Contains ? containsPattern(params.Contains) : undefined;
    const pageSize = Math.min(Number(params.PageSize ?? DEFAULT_PAGE_SIZE), MAX_PAGE_SIZE);
    const found = [...forSale]
      .filter((number) => (!params.AreaCode || NANP.exec(number)?.[1] === params.AreaCode) && (!contains || contains.test(number.slice(1))))
      .slice(0, pageSize)
      .map(availableJson);
    return json(200, { available_phone_numbers: found, uri: `${url.pathname}${url.search}` });
  }

  function purchase(params: Record<string, string>): Response {
    const wanted = params.PhoneNumber ?? (params.AreaCode ? [...forSale].find((number) => NANP.exec(number)?.[1] === params.AreaCode) : undefined);
    if (!params.PhoneNumber && !params.AreaCode) return json(400, { code: 21450, message: "Either PhoneNumber or AreaCode is required", status: 400 });
    if (!wanted || !forSale.has(wanted)) {
      return json(400, { code: 21422, message: `Phone number ${wanted ?? `in area code ${params.AreaCode}`} is not available`, status: 400 });
    }
    forSale.delete(wanted);
    const number: OwnedNumber = { sid: newSid(), phoneNumber: wanted, friendlyName: params.FriendlyName ?? friendly(wanted), webhooks: { ...UNSET_WEBHOOKS }, createdAt: new Date() };
    if (!urlsIgnoredOnPurchase) applyWebhooks(number, params);
    owned.push(number);
    return json(201, numberJson(number));
  }

  function applyWebhooks(number: OwnedNumber, params: Record<string, string>) {
    for (const field of WEBHOOK_FIELDS) {
      const value = params[FIELDS[field].form];
      if (value !== undefined) number.webhooks[field] = value === "" && field.endsWith("Method") ? "POST" : value;
    }
  }

  function numberJson(number: OwnedNumber) {
    const uri = `${API}/${options.accountSid}/IncomingPhoneNumbers/${number.sid}.json`;
    return {
      sid: number.sid,
      account_sid: options.accountSid,
      phone_number: number.phoneNumber,
      friendly_name: number.friendlyName,
      ...Object.fromEntries(WEBHOOK_FIELDS.map((field) => [FIELDS[field].json, number.webhooks[field]])),
      address_requirements: "none",
      address_sid: null,
      api_version: "2010-04-01",
      beta: false,
      capabilities: { voice: true, sms: true, mms: true, fax: false },
      date_created: rfc2822(number.createdAt),
      date_updated: rfc2822(number.createdAt),
      emergency_status: "Inactive",
      emergency_address_sid: null,
      emergency_address_status: "unregistered",
      identity_sid: null,
      origin: "twilio",
      sms_application_sid: "",
      trunk_sid: null,
      voice_application_sid: "",
      voice_caller_id_lookup: false,
      voice_receive_mode: "voice",
      bundle_sid: null,
      status: "in-use",
      type: "local",
      uri,
      subresource_uris: { assigned_add_ons: uri.replace(".json", "/AssignedAddOns.json") },
    };
  }

  function availableJson(number: string) {
    return {
      friendly_name: friendly(number),
      phone_number: number,
      lata: "558",
      locality: "Austin",
      rate_center: "AUSTIN",
      latitude: "30.266700",
      longitude: "-97.743100",
      region: "TX",
      postal_code: "78701",
      iso_country: "US",
      address_requirements: "none",
      beta: false,
      capabilities: { voice: true, SMS: true, MMS: true },
    };
  }

  function takeFailure(operation: PhoneNumberOperation, count: number, phoneNumber: string | undefined): InjectedFailure | undefined {
    const match = failures.find(
      (entry) =>
        entry.operation === operation &&
        entry.left > 0 &&
        (entry.failure.nth === undefined || entry.failure.nth === count) &&
        (entry.failure.phoneNumber === undefined || entry.failure.phoneNumber === phoneNumber),
    );
    if (!match) return undefined;
    match.left -= 1;
    return match.failure;
  }

  return {
    handle,
    /** Every request the stand-in answered past auth, with the number it was about and its status. */
    requests,
    /** Puts numbers up for sale: the search finds them and a purchase takes them off the market. */
    offer(...numbers: string[]) {
      for (const number of numbers) forSale.add(number);
    },
    /** Puts a number on the account as if bought long ago, pointed wherever `webhooks` says. Returns its sid. */
    own(phoneNumber: string, webhooks: Webhooks = {}, friendlyName = friendly(phoneNumber)): string {
      const number: OwnedNumber = { sid: newSid(), phoneNumber, friendlyName, webhooks: { ...UNSET_WEBHOOKS, ...webhooks }, createdAt: new Date() };
      owned.push(number);
      return number.sid;
    },
    /** The account's numbers now, oldest first. */
    numbers(): OwnedNumber[] {
      return owned.map((number) => ({ ...number, webhooks: { ...number.webhooks } }));
    },
    /** Refuses requests of one operation with Twilio's error JSON (default 500, code 20500). */
    fail(operation: PhoneNumberOperation, failure: InjectedFailure = {}) {
      failures.push({ operation, failure, left: failure.times ?? Infinity });
    },
    /** Purchases keep none of the URLs sent with them, so only an update points the number. */
    ignoreUrlsOnPurchase() {
      urlsIgnoredOnPurchase = true;
    },
    /** Serves at most this many numbers per page, whatever PageSize asks, so callers walk several pages. */
    limitPageSize(size: number) {
      pageSizeLimit = size;
    },
    reset() {
      pageSizeLimit = MAX_PAGE_SIZE;
      forSale.clear();
      owned.length = 0;
      requests.length = 0;
      counts.clear();
      failures = [];
      urlsIgnoredOnPurchase = false;
    },
  };
}
export type TwilioPhoneNumbersStandIn = ReturnType<typeof twilioPhoneNumbersStandIn>;

/**
 * One Twilio for a server that needs both stand-ins (doctor, the scale bench) behind one
 * TWILIO_API_URL: phone-number requests go to `phoneNumbers`, everything else to `api`.
 */
export function twilioWithPhoneNumbers(phoneNumbers: TwilioPhoneNumbersStandIn, api: TwilioApiStandIn): StandIn {
  return (request) => (routeOf(request.method, new URL(request.url).pathname) ? phoneNumbers.handle(request) : api.handle(request));
}

type Route = { accountSid: string; operation: PhoneNumberOperation; sid?: string; country: string };

function routeOf(method: string, pathname: string): Route | undefined {
  const search = /^\/2010-04-01\/Accounts\/([^/]+)\/AvailablePhoneNumbers\/([A-Z]{2})\/Local\.json$/.exec(pathname);
  if (search && method === "GET") return { accountSid: search[1], operation: "search", country: search[2] };
  const list = /^\/2010-04-01\/Accounts\/([^/]+)\/IncomingPhoneNumbers\.json$/.exec(pathname);
  if (list && method === "GET") return { accountSid: list[1], operation: "list", country: "" };
  if (list && method === "POST") return { accountSid: list[1], operation: "purchase", country: "" };
  const one = /^\/2010-04-01\/Accounts\/([^/]+)\/IncomingPhoneNumbers\/(PN[0-9a-fA-F]{32})\.json$/.exec(pathname);
  if (one && method === "POST") return { accountSid: one[1], operation: "update", sid: one[2], country: "" };
  if (one && method === "DELETE") return { accountSid: one[1], operation: "release", sid: one[2], country: "" };
  return undefined;
}

// Twilio reads PhoneNumber as a part of the number, `*` standing for any digit.
function listed(number: OwnedNumber, params: Record<string, string>): boolean {
  if (params.FriendlyName !== undefined && number.friendlyName !== params.FriendlyName) return false;
  return params.PhoneNumber === undefined || containsPattern(params.PhoneNumber).test(number.phoneNumber.slice(1));
}

const containsPattern = (pattern: string) => new RegExp(pattern.replace(/[^0-9*]/g, "").replaceAll("*", "[0-9]"));

function failureResponse(failure: InjectedFailure): Response {
  const status = failure.status ?? 500;
  return json(status, { code: failure.code ?? 20500, message: failure.message ?? "Internal Server Error", status });
}

const notFound = (url: URL) => json(404, { code: 20404, message: `The requested resource ${url.pathname} was not found`, status: 404 });
const newSid = () => `PN${randomBytes(16).toString("hex")}`;
const friendly = (number: string) => number.replace(NANP, "($1) $2-$3");
