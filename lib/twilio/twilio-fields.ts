import { z } from "zod";
import { E164 } from "../phone/normalize-phone";

export const twilioSid = (prefix: "CA" | "SM" | "MM" | "RE") =>
  z.string({ error: "required" }).regex(new RegExp(`^${prefix}[0-9a-fA-F]{32}$`), `must be a Twilio SID starting with ${prefix}`);

export const messageSid = z
  .string({ error: "required" })
  .regex(/^(SM|MM)[0-9a-fA-F]{32}$/, "must be a Twilio message SID starting with SM or MM");

/** A tracking number: what we look up, so it must be E.164 before it goes near a query or formula. */
export const e164Phone = z.string({ error: "required" }).trim().regex(E164, "must be an E.164 phone number such as +15125550134");

/** The caller as Twilio gives it: usually E.164, but "anonymous", "Restricted" and the like too. */
export const callerId = z.string({ error: "required" }).trim().min(1, "required").max(64, "is too long");

export const optionalSeconds = z.coerce.number().int().min(0).optional().catch(undefined);

export const twilioBoolean = z
  .enum(["true", "false"])
  .transform((value) => value === "true")
  .optional()
  .catch(undefined);
