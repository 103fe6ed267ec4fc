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
});
export type LoggedCall = z.infer<typeof loggedCallSchema>;
