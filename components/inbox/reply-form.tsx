"use client";

import { LoaderCircle, Send } from "lucide-react";
import { useActionState, useId, type KeyboardEvent } from "react";
import { sendReply, type ReplyFormState } from "@/app/(dashboard)/inbox/[leadId]/reply-action";
import { useIsOffline } from "@/components/pwa/use-is-offline";

const NOTHING_YET: ReplyFormState = { outcome: "idle", message: "", body: "" };

/** Ctrl+Enter or ⌘+Enter sends, as in most chat boxes; Enter alone keeps making new lines. */
function sendOnModifierEnter(event: KeyboardEvent<HTMLTextAreaElement>): void {
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    event.currentTarget.form?.requestSubmit();
  }
}

/** Texts the lead from their tracking number; says plainly when a reply cannot go. */
export function ReplyForm({ leadId, disabledReason }: { leadId: string; disabledReason?: string }) {
  const [state, action, pending] = useActionState(sendReply, NOTHING_YET);
  const offline = useIsOffline();
  const fieldId = useId();

  if (disabledReason) {
    return <p className="rounded-lg border border-slate-200 bg-slate-100 px-4 py-3 text-sm text-slate-700">{disabledReason}</p>;
  }

  return (
    <form action={action} className="rounded-lg border border-slate-200 bg-white p-3 shadow-sm">
      <fieldset disabled={offline || pending} className="flex flex-col gap-2">
        <input type="hidden" name="leadId" value={leadId} />
        <label htmlFor={fieldId} className="text-sm font-medium text-slate-700">
          Reply
        </label>
        {/* React resets the form after each send; defaultValue brings a refused text back. */}
        <textarea
          id={fieldId}
          name="body"
          required
          maxLength={1600}
          rows={3}
          defaultValue={state.body}
          onKeyDown={sendOnModifierEnter}
          placeholder="Text this lead from your tracking number"
          className="w-full resize-y rounded-md border border-slate-300 px-3 py-2 text-base text-slate-900 placeholder:text-slate-500 focus:border-indigo-600 focus:ring-2 focus:ring-indigo-600/30 focus:outline-none disabled:bg-slate-50"
        />
        <div className="flex flex-wrap items-center justify-between gap-2">
          <p aria-live="polite" className={`min-h-5 flex-1 text-sm ${state.outcome === "refused" ? "text-red-700" : "text-slate-600"}`}>
            {pending ? "Sending…" : state.message}
          </p>
          <button
            type="submit"
            className="inline-flex min-h-11 items-center gap-2 rounded-md bg-indigo-700 px-4 text-sm font-semibold text-white hover:bg-indigo-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-700 disabled:opacity-60"
          >
            {pending ? <LoaderCircle aria-hidden="true" className="size-4 animate-spin" /> : <Send aria-hidden="true" className="size-4" />}
            Send
          </button>
        </div>
      </fieldset>
    </form>
  );
}
