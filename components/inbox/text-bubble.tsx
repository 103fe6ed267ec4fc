import { Image as ImageIcon } from "lucide-react";
import { LocalTime } from "@/components/ui/local-time";
import { describeDelivery, type DeliveryTone } from "@/lib/inbox/describe-delivery";
import type { TextEntry } from "@/lib/inbox/read-thread";

const TONE: Record<DeliveryTone, string> = { pending: "text-slate-700", done: "text-emerald-800", failed: "text-rose-800" };

const AUTHORS: Record<TextEntry["author"], string> = { lead: "Lead", client: "Reply", auto: "Automatic text-back" };

/**
 * A text as a bubble: the lead's on the left, the client's and the automatic ones on the right, with
 * how its delivery went and, for the lead's, where it came from when not where the lead first did.
 * `forwardedTo` names whose phone a lead's text was copied to.
 */
export function TextBubble({ text, forwardedTo }: { text: TextEntry; forwardedTo: string }) {
  const fromLead = text.author === "lead";
  const delivery = text.delivery && describeDelivery(text.delivery);
  const copy = text.copyToClient && describeDelivery(text.copyToClient);

  return (
    <div className={`flex ${fromLead ? "justify-start" : "justify-end"}`}>
      <div className={`max-w-[85%] sm:max-w-md ${fromLead ? "" : "text-right"}`}>
        <p className="sr-only">{AUTHORS[text.author]}:</p>
        <div
          className={`inline-block rounded-2xl px-3.5 py-2 text-left text-base break-words whitespace-pre-wrap ${
            fromLead ? "rounded-bl-sm border border-slate-200 bg-white text-slate-900" : "rounded-br-sm bg-indigo-700 text-white"
          }`}
        >
          {text.author === "auto" ? <span className="mb-0.5 block text-xs font-medium text-indigo-100">Automatic text-back</span> : null}
          {text.body}
          {text.mediaCount > 0 ? (
            <span className={`mt-1 flex items-center gap-1 text-sm ${fromLead ? "text-slate-700" : "text-indigo-100"}`}>
              <ImageIcon aria-hidden="true" className="size-4" />
              {text.mediaCount === 1 ? "1 photo" : `${text.mediaCount} photos`}
            </span>
          ) : null}
        </div>
        <p className={`mt-0.5 flex flex-wrap gap-x-2 px-1 text-xs text-slate-700 ${fromLead ? "justify-start" : "justify-end"}`}>
          <LocalTime iso={text.at.toISOString()} style="full" />
          {delivery ? <span className={`font-medium ${TONE[delivery.tone]}`}>{delivery.label}</span> : null}
          {copy ? <span className={TONE[copy.tone]}>Copy to {forwardedTo}: {copy.label}</span> : null}
          {text.cameFrom ? <span className="wrap-anywhere">From {text.cameFrom}</span> : null}
        </p>
      </div>
    </div>
  );
}
