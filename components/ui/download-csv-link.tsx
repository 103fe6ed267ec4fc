import { Download } from "lucide-react";

/** A page's "Download CSV": a plain link to the route that answers with the file. */
export function DownloadCsvLink({ href }: { href: string }) {
  return (
    <a
      href={href}
      className="inline-flex min-h-11 items-center justify-center gap-2 rounded-md border border-slate-300 bg-white px-4 text-sm font-semibold text-indigo-800 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-700"
    >
      <Download aria-hidden="true" className="size-4" />
      Download CSV
    </a>
  );
}
