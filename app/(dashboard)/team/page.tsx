import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { InviteMemberForm } from "@/components/auth/invite-member-form";
import { requireViewer } from "@/lib/auth/get-viewer";
import { accessLabel } from "@/lib/auth/role-label";
import { isAgencyStaff } from "@/lib/auth/viewer";
import { getDatabase } from "@/lib/db/get-database";
import { serverEnv } from "@/lib/env";
import { readTeam } from "@/lib/members/read-team";

export const metadata: Metadata = { title: "Team · Leadline" };

export default async function TeamPage() {
  const viewer = await requireViewer("/team");
  if (!isAgencyStaff(viewer)) notFound();
  const { members, clients } = await readTeam(await getDatabase(), viewer);
  const { supabase } = serverEnv();

  return (
    <div className="mx-auto w-full max-w-3xl space-y-8 px-4 py-6">
      <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Team</h1>

      <section aria-labelledby="invite-heading" className="rounded-lg border border-slate-200 bg-white p-4 sm:p-6">
        <h2 id="invite-heading" className="text-lg font-semibold text-slate-900">
          Invite someone
        </h2>
        <p className="mt-1 mb-4 text-sm text-slate-700">
          {!supabase
            ? "No Supabase project is configured: the person is added at once and appears in the development sign-in."
            : supabase.secretKey
              ? "Supabase emails them a link to sign in. A client user sees only that client's leads."
              : "Inviting needs SUPABASE_SECRET_KEY on the server; until it is set, invite people from Supabase's dashboard."}
        </p>
        <InviteMemberForm clients={clients} />
      </section>

      <section aria-labelledby="members-heading">
        <h2 id="members-heading" className="text-lg font-semibold text-slate-900">
          Members
        </h2>
        <ul className="mt-3 divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white">
          {members.map((member) => (
            <li key={member.userId} className="flex flex-col gap-1 px-4 py-3 sm:flex-row sm:items-center sm:justify-between">
              <span className="font-medium break-all text-slate-900">{member.email ?? "(no email)"}</span>
              <span className="text-sm text-slate-700">{accessLabel(member.role, member.clientName)}</span>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
