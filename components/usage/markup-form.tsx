"use client";

import { useActionState } from "react";
import { saveMarkup, type MarkupFormState } from "@/app/(dashboard)/usage/actions";

/** A client's markup, in percent, saved on its own; the outcome is announced beside it. */
export function MarkupForm({ clientId, clientName, markupPercent }: { clientId: string; clientName: string; markupPercent: string }) {
  const [state, formAction, pending] = useActionState<MarkupFormState, FormData>(saveMarkup, {});
  const inputId = `markup-${clientId}`;
  return (
    <form action={formAction} className="flex flex-col items-end gap-1">
      <input type="hidden" name="clientId" value={clientId} />
      <div className="flex items-center gap-1">
        <label htmlFor={inputId} className="sr-only">
          Markup for {clientName}, in percent
        </label>
        <input
          id={inputId}
          name="markupPercent"
          type="text"
          inputMode="decimal"
          defaultValue={markupPercent}
          aria-describedby={`${inputId}-outcome`}
          className="min-h-11 w-20 rounded-md border border-slate-300 bg-white px-2 text-right text-base text-slate-900 tabular-nums focus:border-indigo-600 focus:ring-2 focus:ring-indigo-600/30 focus:outline-none"
        />
        <span aria-hidden="true" className="text-slate-700">
          %
        </span>
        <button
          type="submit"
          disabled={pending}
          className="inline-flex min-h-11 items-center rounded-md border border-slate-300 bg-white px-3 text-sm font-semibold text-indigo-800 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-700 disabled:opacity-70"
        >
          Save<span className="sr-only"> markup for {clientName}</span>
        </button>
      </div>
      <p id={`${inputId}-outcome`} role={state.ok === false ? "alert" : "status"} className={state.ok === false ? "max-w-48 text-xs text-red-800" : "max-w-48 text-xs text-emerald-900"}>
        {state.message}
      </p>
    </form>
  );
}
