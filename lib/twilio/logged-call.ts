import { z } from "zod";

// The twilio package turns Twilio's dates into Date objects, and leaves the string when it cannot.
export const twilioTime = z
  .date()
  .nullish()
  .catch(undefined)
  .transform((date) => date ?? undefined);
export const twilioText = z
  .string()
  .nullish()
  .transform((value) => value ?? "");
export const twilioCount = z.coerce.number().int().min(0).optional().catch(undefined);
/**
 * What Twilio charged for a call leg or message, as a positive decimal string (Twilio reports a
 * charge as a negative amount, "-0.00850"); undefined until Twilio has priced it.
 */
export const twilioPrice = z
  .string()
  .regex(/^-?\d+(\.\d+)?$/)
  .nullish()
  .catch(undefined)
  .transform((price) => (price ? price.replace(/^-/, "") : undefined));
/** The price's currency, as ISO 4217 ("USD"). */
export const twilioPriceUnit = z
  .string()
  .regex(/^[A-Z]{3}$/)
  .nullish()
  .catch(undefined)
  .transform((unit) => unit ?? undefined);

/** A call as Twilio's call log lists it: a parent, or the `<Dial>` leg that names it as its parent. */
export const loggedCallSchema = z.object({
  sid: z.string(),
  parentCallSid: z
    .string()
    .nullish()
    .transform((sid) => sid ?? undefined),
  from: twilioText,
  to: twilioText,
  status: z.string(),
  direction: z.string(),
  startTime: twilioTime,
  endTime: twilioTime,
  /** Seconds; Twilio leaves it empty for a leg nobody answered. */
  duration: twilioCount,
  price: twilioPrice,
  priceUnit: twilioPriceUnit,
});
export type LoggedCall = z.infer<typeof loggedCallSchema>;
