"use client";

import { UserPlus } from "lucide-react";
import { useActionState } from "react";
import { inviteMember, type InviteFormState } from "@/app/(dashboard)/team/actions";

const fieldClass =
  "mt-1 block min-h-11 w-full rounded-md border border-slate-400 bg-white px-3 text-base text-slate-900 focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-slate-900";

/** Email and access (a client's user, or agency staff); the outcome is announced under the button. */
export function InviteMemberForm({ clients }: { clients: { id: string; name: string }[] }) {
  const [state, formAction, pending] = useActionState<InviteFormState, FormData>(inviteMember, {});
  return (
    <form action={formAction} className="space-y-4">
      <div>
        <label htmlFor="invite-email" className="text-sm font-medium text-slate-800">
          Email
        </label>
        <input id="invite-email" name="email" type="email" autoComplete="off" required className={fieldClass} />
      </div>
      <div>
        <label htmlFor="invite-access" className="text-sm font-medium text-slate-800">
          Access
        </label>
        <select id="invite-access" name="access" required defaultValue="" className={fieldClass}>
          <option value="" disabled>
            Choose…
          </option>
          {clients.map((client) => (
            <option key={client.id} value={`client:${client.id}`}>
              Client user of {client.name}
            </option>
          ))}
          <option value="agency_staff">Agency staff (every client)</option>
        </select>
      </div>
      <p role={state.ok === false ? "alert" : "status"} className={state.ok === false ? "text-sm text-red-800" : "text-sm text-emerald-900"}>
        {state.message}
      </p>
      <button
        type="submit"
        disabled={pending}
        className="inline-flex min-h-11 items-center gap-2 rounded-md bg-slate-900 px-4 text-base font-semibold text-white hover:bg-slate-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-slate-900 disabled:opacity-70"
      >
        <UserPlus aria-hidden="true" className="size-4" />
        Invite
      </button>
    </form>
  );
}
