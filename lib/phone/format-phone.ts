import { parsePhoneNumberFromString } from "libphonenumber-js/max";
import { isWithheldCaller } from "./caller-id";

const WITHHELD_NUMBER_LABEL = "Withheld number";

/**
 * "+15125550134" -> "(512) 555-0134": a North American number as people in the US write it, any
 * other in international form, and a withheld caller as words (its stored "number" is a placeholder).
 */
export function formatPhoneForDisplay(caller: string): string {
  if (isWithheldCaller(caller)) return WITHHELD_NUMBER_LABEL;
  const nanp = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(caller);
  if (nanp) return `(${nanp[1]}) ${nanp[2]}-${nanp[3]}`;
  return parsePhoneNumberFromString(caller)?.formatInternational() ?? caller;
}
