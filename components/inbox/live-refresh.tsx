"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";

const POLL_MS = 2000;

/**
 * Keeps an open inbox or thread live: while the page is visible it asks /api/inbox/changes every
 * 2 s and re-renders the page's server components when the answer differs from what the page was
 * rendered with. Plain polling works the same on the embedded database, PostgreSQL and serverless.
 * `marker` is the one the server read before the page's data, so nothing written in between is missed.
 */
export function LiveRefresh({ marker, client, lead }: { marker: string; client?: string; lead?: string }) {
  const router = useRouter();
  const seen = useRef(marker);

  useEffect(() => {
    seen.current = marker;
  }, [marker]);

  useEffect(() => {
    const query = new URLSearchParams();
    if (client) query.set("client", client);
    if (lead) query.set("lead", lead);
    const url = `/api/inbox/changes${query.size > 0 ? `?${query}` : ""}`;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let polling = false;

    async function poll(): Promise<void> {
      clearTimeout(timer);
      timer = undefined;
      if (polling || document.visibilityState !== "visible") return;
      // Offline there is nobody to ask; coming back online asks at once.
      if (!navigator.onLine) return;
      polling = true;
      try {
        const response = await fetch(url, { cache: "no-store", signal: controller.signal });
        const latest = response.ok ? ((await response.json()) as { marker?: unknown }).marker : undefined;
        if (typeof latest === "string" && latest !== seen.current) {
          seen.current = latest;
          router.refresh();
        }
      } catch {
        // Offline, or the page is going away: the next round asks again.
      } finally {
        polling = false;
      }
      if (!controller.signal.aborted && document.visibilityState === "visible") timer = setTimeout(poll, POLL_MS);
    }

    // Coming back to a hidden tab, or back online, asks at once rather than waiting for a round.
    const onVisibilityChange = () => void poll();
    document.addEventListener("visibilitychange", onVisibilityChange);
    window.addEventListener("online", onVisibilityChange);
    timer = setTimeout(poll, POLL_MS);
    return () => {
      controller.abort();
      clearTimeout(timer);
      document.removeEventListener("visibilitychange", onVisibilityChange);
      window.removeEventListener("online", onVisibilityChange);
    };
  }, [client, lead, router]);

  return null;
}
