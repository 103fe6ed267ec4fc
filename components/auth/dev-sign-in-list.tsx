import { LogIn } from "lucide-react";
import { signInForDevelopment } from "@/app/login/actions";
import type { DevSignInUser } from "@/lib/auth/list-dev-sign-in-users";
import { accessLabel, ROLE_LABELS } from "@/lib/auth/role-label";

/** One button per user with access; each button's name says who it signs in as. */
export function DevSignInList({ users, next }: { users: DevSignInUser[]; next?: string }) {
  if (users.length === 0) {
    return (
      <p className="text-slate-700">
        No one has access yet. Load the demo users with <code className="rounded bg-slate-200 px-1">npm run db:migrate -- --seed</code>.
      </p>
    );
  }
  return (
    <ul className="space-y-3">
      {users.map((user) => {
        const who = user.clientName ?? ROLE_LABELS[user.role];
        return (
          <li key={user.userId}>
            <form action={signInForDevelopment}>
              <input type="hidden" name="userId" value={user.userId} />
              {next ? <input type="hidden" name="next" value={next} /> : null}
              <button
                type="submit"
                aria-label={`Sign in as ${user.email} (${who})`}
                className="flex min-h-14 w-full items-center gap-3 rounded-lg border border-slate-300 bg-white px-4 py-3 text-left hover:border-slate-500 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-slate-900"
              >
                <LogIn aria-hidden="true" className="size-5 shrink-0 text-slate-600" />
                <span className="min-w-0">
                  <span className="block font-medium break-all text-slate-900">{user.email}</span>
                  <span className="block text-sm text-slate-700">{accessLabel(user.role, user.clientName)}</span>
                </span>
              </button>
            </form>
          </li>
        );
      })}
    </ul>
  );
}
