import type { Attribution } from "@/lib/inbox/attribution";

/**
 * How the lead first found the client: source, medium, campaign, term, ad click and landing page,
 * each only when known. Values come from strangers' URLs, so they are shown as text, never links,
 * and long ones wrap anywhere to fit a phone.
 */
export function FirstTouch({ touch }: { touch: Attribution | null }) {
  if (!touch) return null;
  const rows = [
    { label: "Source", value: touch.source },
    { label: "Medium", value: touch.medium },
    { label: "Campaign", value: touch.campaign },
    { label: "Term", value: touch.term },
    { label: "Click ID", value: touch.clickId && (touch.clickId.type ? `${touch.clickId.id} (${touch.clickId.type})` : touch.clickId.id) },
    { label: "Landing page", value: touch.landingPage },
    { label: "Referrer", value: touch.referrer },
  ].filter((row): row is { label: string; value: string } => Boolean(row.value));

  return (
    <section aria-labelledby="first-touch-heading" className="mt-4 border-t border-slate-200 pt-4">
      <h3 id="first-touch-heading" className="text-sm font-semibold text-slate-900">
        How they found you
      </h3>
      <dl className="mt-2 space-y-2 text-sm">
        {rows.map((row) => (
          <div key={row.label}>
            <dt className="text-slate-700">{row.label}</dt>
            <dd className="text-slate-900 wrap-anywhere">{row.value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
