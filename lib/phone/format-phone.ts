import { isWithheldCaller } from "./caller-id";
import { formatPhone } from "./normalize-phone";

/**
 * "+15125550134" -> "(512) 555-0134": a caller as the inbox shows them, as people in the US write
 * it, and a withheld caller as words (its stored "number" is a placeholder).
 */
export function formatPhoneForDisplay(caller: string): string {
  if (isWithheldCaller(caller)) return "Withheld number";
  return formatPhone(caller, (area, exchange, line) => `(${area}) ${exchange}-${line}`);
}
