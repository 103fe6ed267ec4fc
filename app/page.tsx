export default function HomePage() {
  return (
    <main className="mx-auto max-w-2xl px-6 py-16">
      <h1 className="text-3xl font-semibold tracking-tight">Leadline</h1>
      <p className="mt-3 text-slate-600">
        Call tracking and a live lead inbox. Point a Twilio number&apos;s voice webhook at{" "}
        <code className="rounded bg-slate-200 px-1">/api/twilio/voice</code>, its messaging webhook at{" "}
        <code className="rounded bg-slate-200 px-1">/api/twilio/sms</code> and its status callback at{" "}
        <code className="rounded bg-slate-200 px-1">/api/twilio/status</code>.
      </p>
      <p className="mt-3 text-slate-600">
        No Twilio account yet? Run <code className="rounded bg-slate-200 px-1">npm run simulate -- call</code> in another
        terminal to watch a call get forwarded.
      </p>
    </main>
  );
}
