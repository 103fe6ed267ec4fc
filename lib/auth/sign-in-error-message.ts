import type { AuthError } from "@supabase/supabase-js";

/** What a person signing in is told when Supabase Auth says no, in words they can act on. */
export function signInErrorMessage(error: AuthError): string {
  switch (error.code) {
    case "invalid_credentials":
      return "That email and password don't match. Check them, or email yourself a sign-in link instead.";
    case "email_not_confirmed":
      return "This email address is not confirmed yet. Open the link in the invitation email, or email yourself a sign-in link.";
    case "user_banned":
      return "This account is suspended. Ask your agency to restore it.";
    case "over_request_rate_limit":
    case "over_email_send_rate_limit":
      return "Too many attempts. Wait a minute, then try again.";
  }
  if (error.status === undefined || error.status === 0 || error.status >= 500) {
    return "Sign-in is unavailable right now: Supabase Auth did not answer. Try again in a moment.";
  }
  return `Sign-in failed: ${error.message}`;
}
