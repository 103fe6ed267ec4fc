/** What brought a lead, a call or a text, as the inbox shows it (lib/attribution keeps it). */
export type Attribution = {
  source: string | null;
  medium: string | null;
  campaign: string | null;
  term: string | null;
  /** The ad click's id and what kind it is ("gclid", "fbclid", ...). */
  clickId: { id: string; type: string | null } | null;
  landingPage: string | null;
  referrer: string | null;
};

/** The touch columns of a lead, call or text, as read from the database. */
export type AttributionRow = {
  source: string | null;
  medium: string | null;
  campaign: string | null;
  term: string | null;
  click_id: string | null;
  click_id_type: string | null;
  landing_page: string | null;
  referrer: string | null;
};

/** Null when nothing is known of how this lead, call or text came. */
export function toAttribution(row: AttributionRow): Attribution | null {
  const attribution: Attribution = {
    source: row.source,
    medium: row.medium,
    campaign: row.campaign,
    term: row.term,
    clickId: row.click_id === null ? null : { id: row.click_id, type: row.click_id_type },
    landingPage: row.landing_page,
    referrer: row.referrer,
  };
  return Object.values(attribution).some((value) => value !== null) ? attribution : null;
}

/** "Google Ads · cpc · spring-sale": where a contact came from, in one line; empty when unknown. */
export function describeAttribution(attribution: Pick<Attribution, "source" | "medium" | "campaign"> | null): string {
  if (!attribution) return "";
  return [attribution.source, attribution.medium, attribution.campaign].filter(Boolean).join(" · ");
}
