import { serverEnv } from "@/lib/env";
import { PushOptInButton } from "./push-opt-in-button";

/** New-lead notifications for this browser, offered only when the server has VAPID keys. */
export function PushOptIn() {
  const publicKey = serverEnv().webPush?.publicKey;
  if (!publicKey) return null;
  return <PushOptInButton publicKey={publicKey} />;
}
