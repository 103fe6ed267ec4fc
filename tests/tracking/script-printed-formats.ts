/** The layouts a site prints +15125550134 in, each with +15125550121 swapped in, digit for digit. */
export const PRINTED_FORMATS: readonly (readonly [printed: string, swapped: string])[] = [
  ["(512) 555-0134", "(512) 555-0121"],
  ["512-555-0134", "512-555-0121"],
  ["512.555.0134", "512.555.0121"],
  ["+1 512 555 0134", "+1 512 555 0121"],
  ["512 555 0134", "512 555 0121"],
  ["+15125550134", "+15125550121"],
  ["1-512-555-0134", "1-512-555-0121"],
];
