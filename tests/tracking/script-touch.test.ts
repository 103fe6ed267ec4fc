import { describe, expect, it } from "vitest";
import { captureTouch } from "@/lib/tracking/script/capture-touch";
import { isPaidTouch } from "@/lib/tracking/script/is-paid-touch";

const AT = Date.UTC(2026, 11, 2, 15);

describe("the touch captured on landing", () => {
  it("reads the UTM tags and every click id from the landing URL", () => {
    const landing = "https://acmeplumbing.example/promo?utm_source=google&utm_medium=cpc&utm_campaign=spring-sale&utm_term=plumber%20austin&utm_content=ad-2&gclid=Cj0KCQ&gbraid=0AAAA&wbraid=CkcK&fbclid=IwAR&msclkid=7f3e";
    expect(captureTouch(landing, "", AT)).toEqual({
      source: "google",
      medium: "cpc",
      campaign: "spring-sale",
      term: "plumber austin",
      content: "ad-2",
      gclid: "Cj0KCQ",
      gbraid: "0AAAA",
      wbraid: "CkcK",
      fbclid: "IwAR",
      msclkid: "7f3e",
      landing,
      at: AT,
    });
  });

  it("leaves out what the landing does not carry", () => {
    expect(captureTouch("https://acmeplumbing.example/", "", AT)).toEqual({ landing: "https://acmeplumbing.example/", at: AT });
  });

  it("keeps a referrer from another site, and not one from the site itself", () => {
    expect(captureTouch("https://acmeplumbing.example/", "https://www.google.com/", AT).referrer).toBe("https://www.google.com/");
    expect(captureTouch("https://acmeplumbing.example/about", "https://acmeplumbing.example/", AT).referrer).toBeUndefined();
  });

  it("cuts values to what the server stores, so a long tag does not lose the visit", () => {
    const touch = captureTouch(`https://acmeplumbing.example/?utm_campaign=${"c".repeat(300)}&gclid=${"g".repeat(900)}&pad=${"p".repeat(3000)}`, `https://ref.example/${"r".repeat(3000)}`, AT);
    expect([touch.campaign?.length, touch.gclid?.length, touch.landing.length, touch.referrer?.length]).toEqual([200, 500, 2048, 2048]);
  });

  it("leaves out what the server would refuse: control characters, a referrer that is not a web or app link", () => {
    const touch = captureTouch("https://acmeplumbing.example/?utm_term=plumber%0Aaustin%00&utm_content=%0A", "file:///home/me/saved.html", AT);
    expect(touch).toEqual({ term: "plumberaustin", landing: "https://acmeplumbing.example/?utm_term=plumber%0Aaustin%00&utm_content=%0A", at: AT });
    expect(captureTouch("https://acmeplumbing.example/", "android-app://com.google.android.gm/", AT).referrer).toBe("android-app://com.google.android.gm/");
  });
});

describe("a paid click", () => {
  const touch = (query: string) => captureTouch(`https://acmeplumbing.example/?${query}`, "", AT);

  it("is any click id, or a paid utm_medium", () => {
    for (const query of ["gclid=a", "gbraid=a", "wbraid=a", "fbclid=a", "msclkid=a", "utm_medium=CPC", "utm_medium=paid_social", "utm_medium=display"]) {
      expect(isPaidTouch(touch(query)), query).toBe(true);
    }
  });

  it("is not an organic or email visit", () => {
    for (const query of ["utm_medium=organic", "utm_medium=email&utm_source=google", "utm_source=google", ""]) expect(isPaidTouch(touch(query)), query).toBe(false);
  });
});
