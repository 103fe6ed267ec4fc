"use client";

import { useSyncExternalStore } from "react";

type Style = "short" | "full";

const noSubscription = () => () => {};

function format(date: Date, style: Style, timeZone: string | undefined): string {
  const options: Intl.DateTimeFormatOptions = { timeZone };
  if (style === "full") return date.toLocaleString("en-US", { ...options, weekday: "short", month: "short", day: "numeric", hour: "numeric", minute: "2-digit" });
  const now = new Date();
  const sameDay = (a: Date, b: Date) => a.toLocaleDateString("en-US", options) === b.toLocaleDateString("en-US", options);
  if (sameDay(date, now)) return date.toLocaleTimeString("en-US", { ...options, hour: "numeric", minute: "2-digit" });
  if (now.getTime() - date.getTime() < 6 * 24 * 3600 * 1000) return date.toLocaleDateString("en-US", { ...options, weekday: "short" });
  return date.toLocaleDateString("en-US", { ...options, month: "short", day: "numeric" });
}

/**
 * A time in the reader's own time zone, which only the browser knows: the server's render says UTC
 * until the page hydrates. "short" is a list's "3:04 PM", "Mon" or "Nov 28"; "full" a thread's.
 */
export function LocalTime({ iso, style = "short", className }: { iso: string; style?: Style; className?: string }) {
  const inBrowser = useSyncExternalStore(noSubscription, () => true, () => false);
  const date = new Date(iso);
  const text = inBrowser ? format(date, style, undefined) : `${format(date, style, "UTC")} UTC`;
  return (
    <time dateTime={iso} title={date.toISOString()} className={className}>
      {text}
    </time>
  );
}
