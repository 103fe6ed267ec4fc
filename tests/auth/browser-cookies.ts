// One browser's cookie jar. Test files put it behind next/headers' cookies() (vi.mock), so server
// actions, route handlers and getViewer() read and write it as they would a real request's; and
// proxy() gets it as a request's Cookie header, its Set-Cookie headers landing back here.
import { combineChunks, createChunks, stringFromBase64URL, stringToBase64URL } from "@supabase/ssr";
import type { NextResponse } from "next/server";
import type { AuthSession } from "../support/stand-ins/supabase-auth";

type CookieOptions = { httpOnly?: boolean; secure?: boolean; sameSite?: unknown; maxAge?: number; path?: string; expires?: unknown };
export type StoredCookie = { name: string; value: string; options: CookieOptions };

export class BrowserCookies {
  readonly stored = new Map<string, StoredCookie>();

  getAll() {
    return [...this.stored.values()].map(({ name, value }) => ({ name, value }));
  }

  get(name: string) {
    const cookie = this.stored.get(name);
    return cookie && { name, value: cookie.value };
  }

  has(name: string) {
    return this.stored.has(name);
  }

  set(name: string, value: string, options: CookieOptions = {}) {
    const expired = options.maxAge === 0 || (options.expires instanceof Date && options.expires.getTime() <= Date.now());
    if (expired || value === "") this.stored.delete(name);
    else this.stored.set(name, { name, value, options });
    return this;
  }

  delete(name: string) {
    this.stored.delete(name);
    return this;
  }

  clear() {
    this.stored.clear();
  }

  /** The Cookie header this browser sends. */
  header(): string {
    return this.getAll()
      .map(({ name, value }) => `${name}=${value}`)
      .join("; ");
  }

  /** Keeps what a response's Set-Cookie headers say. */
  receive(response: NextResponse) {
    for (const { name, value, ...options } of response.cookies.getAll()) this.set(name, value, options);
  }
}

export const browser = new BrowserCookies();

/** Supabase's session cookie name for a project URL, as supabase-js derives it. */
export function sessionCookieName(supabaseUrl: string): string {
  return `sb-${new URL(supabaseUrl).hostname.split(".")[0]}-auth-token`;
}

/** Puts a session in the jar as @supabase/ssr stores it: base64url JSON, in chunks when long. */
export function storeSession(jar: BrowserCookies, cookieName: string, session: Omit<AuthSession, "user"> & { user?: unknown }) {
  for (const chunk of createChunks(cookieName, `base64-${stringToBase64URL(JSON.stringify(session))}`)) jar.set(chunk.name, chunk.value);
}

/** The session a jar holds, decoded, or null. */
export async function storedSession(jar: { get(name: string): { value: string } | undefined }, cookieName: string): Promise<AuthSession | null> {
  const value = await combineChunks(cookieName, (name) => jar.get(name)?.value);
  return value ? (JSON.parse(stringFromBase64URL(value.replace(/^base64-/, ""))) as AuthSession) : null;
}
