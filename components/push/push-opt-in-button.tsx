"use client";

import { Bell, BellOff } from "lucide-react";
import { useEffect, useState } from "react";
import { turnOffPush, turnOnPush } from "./push-subscription-actions";

type PushState = "unsupported" | "off" | "on";

// public/sw.js registers after the page loads (production builds only); past this, it is not coming.
const WORKER_WAIT_MS = 10_000;

function supportsPush(): boolean {
  return "Notification" in window && "PushManager" in window && "serviceWorker" in navigator;
}

async function serviceWorker(): Promise<ServiceWorkerRegistration> {
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error("no service worker")), WORKER_WAIT_MS));
  return Promise.race([navigator.serviceWorker.ready, timeout]);
}

/** The VAPID public key as the bytes PushManager.subscribe wants (it is base64url in the environment). */
function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const base64 = base64url.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(base64url.length / 4) * 4, "=");
  return Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
}

/** "Turn on notifications" subscribes this browser for the signed-in user; "Turn off" undoes it. */
export function PushOptInButton({ publicKey }: { publicKey: string }) {
  const [state, setState] = useState<PushState>("unsupported");
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState("");

  useEffect(() => {
    if (!supportsPush()) return;
    void navigator.serviceWorker
      .getRegistration()
      .then((registration) => registration?.pushManager.getSubscription())
      .then((subscription) => setState(subscription ? "on" : "off"));
  }, []);

  async function turnOn(): Promise<void> {
    if ((await Notification.requestPermission()) !== "granted") {
      setMessage("Notifications are blocked for this site in your browser's settings.");
      return;
    }
    const registration = await serviceWorker();
    const subscription = await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(publicKey) });
    if (!(await turnOnPush(subscription.toJSON())).ok) {
      await subscription.unsubscribe();
      throw new Error("subscription refused");
    }
    setState("on");
    setMessage("Notifications are on for new leads.");
  }

  async function turnOff(): Promise<void> {
    const registration = await serviceWorker();
    const subscription = await registration.pushManager.getSubscription();
    if (subscription) {
      await turnOffPush(subscription.endpoint);
      await subscription.unsubscribe();
    }
    setState("off");
    setMessage("Notifications are off.");
  }

  async function toggle(): Promise<void> {
    setBusy(true);
    setMessage("");
    try {
      await (state === "on" ? turnOff() : turnOn());
    } catch {
      setMessage("Notifications could not be changed just now. Reload the page and try again.");
    } finally {
      setBusy(false);
    }
  }

  if (state === "unsupported") return null;
  return (
    <div className="flex flex-col items-start gap-1">
      <button
        type="button"
        onClick={toggle}
        disabled={busy}
        className="inline-flex min-h-11 items-center gap-2 rounded-md border border-slate-300 bg-white px-3 text-sm font-medium text-slate-800 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-700 disabled:opacity-60"
      >
        {state === "on" ? <BellOff aria-hidden="true" className="size-4" /> : <Bell aria-hidden="true" className="size-4" />}
        {state === "on" ? "Turn off notifications" : "Turn on notifications"}
      </button>
      <p aria-live="polite" className="text-xs text-slate-600">
        {message}
      </p>
    </div>
  );
}
