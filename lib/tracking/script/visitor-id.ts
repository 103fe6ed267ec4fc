/** 22 base64url characters: 128 random bits, enough that two visitors never share one. */
export function newVisitorId(bytes: Uint8Array = crypto.getRandomValues(new Uint8Array(16))): string {
  return btoa(String.fromCharCode(...bytes))
    .slice(0, 22)
    .replace(/[+/]/g, (char) => (char == "+" ? "-" : "_"));
}
