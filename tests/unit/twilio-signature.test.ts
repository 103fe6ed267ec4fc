import { describe, expect, it } from "vitest";
import { isValidTwilioSignature } from "@/lib/twilio/verify-twilio-signature";

// Twilio's published vectors (twilio-node spec/validation.spec.js), see shared/reference/twilio.md §2.
const token = "12345";
const requestUrl = "https://mycompany.com/myapp.php?foo=1&bar=2";
const params = { CallSid: "CA1234567890ABCDE", Caller: "+14158675309", Digits: "1234", From: "+14158675309", To: "+18005551212" };

describe("isValidTwilioSignature against Twilio's published vectors", () => {
  it("1: the plain URL, also with a port Twilio strips", () => {
    expect(isValidTwilioSignature(token, "RSOYDt4T1cUTdK1PDd93/VVr8B8=", requestUrl, params)).toBe(true);
    expect(isValidTwilioSignature(token, "RSOYDt4T1cUTdK1PDd93/VVr8B8=", "https://mycompany.com:1234/myapp.php?foo=1&bar=2", params)).toBe(true);
  });

  it("2: signed with :443, validated without it", () => {
    expect(isValidTwilioSignature(token, "kvajT1Ptam85bY51eRf/AJRuM3w=", requestUrl, params)).toBe(true);
  });

  it("3: http with a port", () => {
    expect(isValidTwilioSignature(token, "Zmvh+3yNM1Phv2jhDCwEM3q5ebU=", "http://mycompany.com:1234/myapp.php?foo=1&bar=2", params)).toBe(true);
  });

  it("4: http signed with :80 added", () => {
    expect(isValidTwilioSignature(token, "0ZXoZLH/DfblKGATFgpif+LLRf4=", "http://mycompany.com/myapp.php?foo=1&bar=2", params)).toBe(true);
  });

  it("6: a repeated parameter, in either order", () => {
    const signature = "83O6e2vORAoJHUNzJjDWN1jz+BA=";
    expect(isValidTwilioSignature(token, signature, requestUrl, { "MessagingBinding.Address": ["+1325xxxxxxx", "+1415xxxxxxx"] })).toBe(true);
    expect(isValidTwilioSignature(token, signature, requestUrl, { "MessagingBinding.Address": ["+1415xxxxxxx", "+1325xxxxxxx"] })).toBe(true);
  });

  it("7: a query value with an apostrophe and a plus", () => {
    expect(isValidTwilioSignature(token, "TfZzewPq8wqrGlMfyAud8+/IvJ0=", `${requestUrl}&Body=It's+amazing`, params)).toBe(true);
  });

  it("rejects a vector's signature under another token, URL or parameters, and a missing one", () => {
    expect(isValidTwilioSignature("54321", "RSOYDt4T1cUTdK1PDd93/VVr8B8=", requestUrl, params)).toBe(false);
    expect(isValidTwilioSignature(token, "RSOYDt4T1cUTdK1PDd93/VVr8B8=", "https://mycompany.com/other.php?foo=1&bar=2", params)).toBe(false);
    expect(isValidTwilioSignature(token, "RSOYDt4T1cUTdK1PDd93/VVr8B8=", requestUrl, { ...params, Digits: "9999" })).toBe(false);
    expect(isValidTwilioSignature(token, null, requestUrl, params)).toBe(false);
  });

  it("accepts any of several tokens, as during a rotation", () => {
    expect(isValidTwilioSignature(["new-token", token], "RSOYDt4T1cUTdK1PDd93/VVr8B8=", requestUrl, params)).toBe(true);
  });
});
