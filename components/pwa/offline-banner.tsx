"use client";

import { WifiOff } from "lucide-react";
import { useEffect } from "react";
import { useIsOffline } from "./use-is-offline";

/**
 * Says the inbox is a read-only copy while offline, and marks <html data-offline> so the
 * stylesheet can take the page's forms out of use (see app/globals.css).
 */
export function OfflineBanner() {
  const offline = useIsOffline();

  useEffect(() => {
    document.documentElement.toggleAttribute("data-offline", offline);
    return () => document.documentElement.removeAttribute("data-offline");
  }, [offline]);

  // The live region stays in the page so screen readers announce the message when it appears.
  return (
    <div role="status" className="sticky top-0 z-50">
      {offline && (
        <p className="flex items-start gap-2 bg-amber-100 px-4 py-2 text-sm text-amber-950 shadow-sm">
          <WifiOff aria-hidden="true" className="mt-0.5 size-4 shrink-0" />
          <span>You&apos;re offline — showing the inbox as it was last loaded. Replies and changes are off until you reconnect.</span>
        </p>
      )}
    </div>
  );
}
