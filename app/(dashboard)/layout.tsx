import Link from "next/link";
import type { ReactNode } from "react";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { PushOptIn } from "@/components/push/push-opt-in";
import { OfflineBanner } from "@/components/pwa/offline-banner";
import { NavLinks } from "@/components/ui/nav-links";
import { requireViewer } from "@/lib/auth/get-viewer";
import { isAgencyStaff } from "@/lib/auth/viewer";

/** Everything behind sign-in: the header with the sections a viewer may open, then the page. */
export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const viewer = await requireViewer();
  const links = [
    { href: "/inbox", label: "Inbox" },
    { href: "/reports", label: "Reports" },
    ...(isAgencyStaff(viewer)
      ? [
          { href: "/usage", label: "Usage" },
          { href: "/team", label: "Team" },
        ]
      : []),
  ];

  return (
    <>
      <OfflineBanner />
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex w-full max-w-6xl flex-wrap items-center gap-x-3 px-2 sm:px-4">
          <Link
            href="/inbox"
            className="inline-flex min-h-11 items-center px-2 text-base font-semibold tracking-tight text-indigo-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-slate-900"
          >
            Leadline
          </Link>
          <nav aria-label="Main" className="order-last w-full sm:order-none sm:w-auto">
            <NavLinks links={links} />
          </nav>
          <div className="ml-auto flex items-center gap-1">
            <PushOptIn />
            <SignOutButton />
          </div>
        </div>
      </header>
      <main className="mx-auto w-full max-w-6xl">{children}</main>
    </>
  );
}
