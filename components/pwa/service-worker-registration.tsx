"use client";

import { usePathname } from "next/navigation";
import { useEffect, useRef } from "react";

function register(): void {
  navigator.serviceWorker.register("/sw.js", { scope: "/", updateViaCache: "none" }).catch((error: unknown) => {
    console.warn("Leadline works online only: the service worker did not register.", error);
  });
}

function tellServiceWorker(message: { type: "clear-offline-inbox" } | { type: "keep-inbox-page"; url: string }): void {
  void navigator.serviceWorker.ready.then((registration) => registration.active?.postMessage(message));
}

const isInboxPath = (pathname: string) => pathname === "/inbox" || pathname.startsWith("/inbox/");

/**
 * Registers public/sw.js (production builds only: in development its cache-first static files
 * would serve stale code) and tells it what to keep for offline use:
 * - on the sign-in page, to drop the inbox pages it kept, so whoever signs in next on this device
 *   never sees the previous person's inbox;
 * - after a client-side navigation into the inbox (e.g. signing in), to keep that page, since no
 *   page load went through the worker for it to keep.
 */
export function ServiceWorkerRegistration() {
  const pathname = usePathname();
  const previousPathname = useRef<string | null>(null);

  useEffect(() => {
    if (process.env.NODE_ENV !== "production" || !("serviceWorker" in navigator)) return;
    // After load, so the worker's install never competes with the page's own requests.
    if (document.readyState === "complete") register();
    else window.addEventListener("load", register, { once: true });
    return () => window.removeEventListener("load", register);
  }, []);

  useEffect(() => {
    const cameFrom = previousPathname.current;
    previousPathname.current = pathname;
    if (process.env.NODE_ENV !== "production" || !("serviceWorker" in navigator)) return;
    if (pathname === "/login") tellServiceWorker({ type: "clear-offline-inbox" });
    else if (cameFrom !== null && isInboxPath(pathname)) tellServiceWorker({ type: "keep-inbox-page", url: window.location.href });
  }, [pathname]);

  return null;
}
