import type { LeadStatus } from "@/lib/inbox/lead-status";

const TONES: Record<LeadStatus, string> = {
  New: "bg-sky-100 text-sky-900",
  Contacted: "bg-amber-100 text-amber-900",
  Qualified: "bg-violet-100 text-violet-900",
  Won: "bg-emerald-100 text-emerald-900",
  Lost: "bg-slate-200 text-slate-800",
  Spam: "bg-rose-100 text-rose-900",
};

export function StatusBadge({ status }: { status: LeadStatus }) {
  return <span className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ${TONES[status]}`}>{status}</span>;
}
