"use client";

import { LoaderCircle, Save } from "lucide-react";
import { useActionState, useEffect, useRef } from "react";
import { saveLead, type LeadFormState } from "@/app/(dashboard)/inbox/[leadId]/lead-actions";
import { useIsOffline } from "@/components/pwa/use-is-offline";
import { AutoSubmitSelect } from "@/components/ui/auto-submit-select";
import { LEAD_STATUSES } from "@/lib/inbox/lead-status";
import type { ThreadLead } from "@/lib/inbox/read-thread";
import { FirstTouch } from "./first-touch";

const NOTHING_YET: LeadFormState = { outcome: "idle", message: "" };
const FIELD =
  "mt-1 block min-h-11 w-full rounded-md border border-slate-300 bg-white px-3 text-base text-slate-900 focus:border-indigo-600 focus:ring-2 focus:ring-indigo-600/30 focus:outline-none disabled:bg-slate-50";
const LABEL = "text-sm font-medium text-slate-700";

/**
 * Status, name, value and notes of a lead. A new status is saved as soon as it is chosen; the rest
 * with Save, which also saves the status without JavaScript. Under them, how the lead found the
 * client, which nobody edits.
 */
export function LeadPanelForm({ lead }: { lead: ThreadLead }) {
  const [state, action, pending] = useActionState(saveLead, NOTHING_YET);
  const offline = useIsOffline();
  const shown = state.outcome === "refused" && state.typed ? state.typed : undefined;
  const form = useRef<HTMLFormElement>(null);
  const saved = [lead.status, lead.name, lead.value, lead.notes].join("\u0000");

  // A change made elsewhere (another user, the Lead Pipeline) arrives with the live refresh as new
  // defaults, which the fields show only once the form is reset.
  useEffect(() => {
    form.current?.reset();
  }, [saved]);

  return (
    <form ref={form} action={action} className="space-y-3">
      <fieldset disabled={offline || pending} className="space-y-3">
        <input type="hidden" name="leadId" value={lead.id} />
        <div>
          <label htmlFor="lead-status" className={LABEL}>
            Status
          </label>
          <AutoSubmitSelect id="lead-status" name="status" defaultValue={shown?.status ?? lead.status} className={FIELD}>
            {LEAD_STATUSES.map((status) => (
              <option key={status}>{status}</option>
            ))}
          </AutoSubmitSelect>
        </div>
        <div>
          <label htmlFor="lead-name" className={LABEL}>
            Name
          </label>
          <input id="lead-name" name="name" maxLength={200} autoComplete="off" defaultValue={shown?.name ?? lead.name ?? ""} className={FIELD} />
        </div>
        <div>
          <label htmlFor="lead-value" className={LABEL}>
            Value ($)
          </label>
          <input
            id="lead-value"
            name="value"
            inputMode="decimal"
            autoComplete="off"
            placeholder="0.00"
            defaultValue={shown?.value ?? (lead.value === null ? "" : lead.value.toFixed(2))}
            className={FIELD}
          />
        </div>
        <div>
          <label htmlFor="lead-notes" className={LABEL}>
            Notes
          </label>
          <textarea id="lead-notes" name="notes" rows={4} maxLength={5000} defaultValue={shown?.notes ?? lead.notes ?? ""} className={`${FIELD} py-2`} />
        </div>
        <div className="flex items-center gap-3">
          <button
            type="submit"
            className="inline-flex min-h-11 items-center gap-2 rounded-md bg-slate-900 px-4 text-sm font-semibold text-white hover:bg-slate-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-slate-900 disabled:opacity-60"
          >
            {pending ? <LoaderCircle aria-hidden="true" className="size-4 animate-spin" /> : <Save aria-hidden="true" className="size-4" />}
            Save
          </button>
          <p role={state.outcome === "refused" ? "alert" : "status"} className={`text-sm ${state.outcome === "refused" ? "text-red-800" : "text-emerald-800"}`}>
            {pending ? "Saving…" : state.message}
          </p>
        </div>
      </fieldset>
      <FirstTouch touch={lead.firstTouch} />
    </form>
  );
}
