import Link from "next/link";

/** Another client's lead looks exactly like one that never existed. */
export default function ThreadNotFound() {
  return (
    <div className="px-4 py-10 text-center">
      <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Lead not found</h1>
      <p className="mt-2 text-slate-700">This lead could not be found. It may have been removed, or the link may be wrong.</p>
      <Link href="/inbox" className="mt-4 inline-flex min-h-11 items-center text-sm font-medium text-indigo-800 underline underline-offset-4">
        Back to the inbox
      </Link>
    </div>
  );
}
