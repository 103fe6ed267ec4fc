// The demo agency as supabase/seed.sql loads it, and how the inbox shows its numbers.

export const ACME_OFFICE_EMAIL = "office@acmeplumbing.test";
export const AGENCY_OWNER_EMAIL = "owner@northwind.test";

export const ACME = {
  name: "Acme Plumbing",
  /** The Google Ads number, which forwards and texts back; the Website number forwards too. */
  googleAdsNumber: "+15125550100",
  websiteNumber: "+15125550101",
  leads: {
    waterHeater: { id: "10000000-0000-4000-a000-000000000001", caller: "+15125550134", shown: "(512) 555-0134" },
    website: { id: "10000000-0000-4000-a000-000000000002", caller: "+15125550177", shown: "(512) 555-0177", trackingNumber: "+15125550101" },
  },
};

export const BRIGHT_SMILES = {
  name: "Bright Smiles Dental",
  trackingNumber: "+17375550200",
  lead: { id: "10000000-0000-4000-a000-000000000003", caller: "+17375550145", shown: "(737) 555-0145", text: "Do you take Delta Dental?" },
  /** The seeded answered call of that lead, which the run gives a voicemail recording. */
  callSid: "CA00000000000000000000000000000004",
};

/** "+15125550134" as the inbox shows it: "(512) 555-0134". */
export function shownNumber(e164: string): string {
  const digits = e164.replace(/^\+1/, "");
  return `(${digits.slice(0, 3)}) ${digits.slice(3, 6)}-${digits.slice(6)}`;
}

let serial = 0;
/** A caller the seed does not have, new at each call: 555-0150 to 555-0198, in the 555-01xx range kept for fiction. */
export function newCaller(): string {
  if (serial > 48) throw new Error("the run has used every fictional caller number");
  return `+1512555${String(150 + serial++).padStart(4, "0")}`;
}
