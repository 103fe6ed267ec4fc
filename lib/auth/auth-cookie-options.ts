/**
 * How every sign-in cookie is kept: out of reach of page scripts (no browser-side Supabase client
 * reads the session), sent on top-level navigation to the site, and only over https on an https site.
 */
export function authCookieOptions(publicBaseUrl: string) {
  return { httpOnly: true, sameSite: "lax" as const, secure: publicBaseUrl.startsWith("https://"), path: "/" };
}
