import { createHash, generateKeyPairSync, randomBytes, randomUUID, sign, verify, type KeyObject } from "node:crypto";
import { json, type StandIn } from "./stand-in";

/** An ES256 key pair with its key id, as a Supabase project's JWT signing key. */
export type SigningKey = { kid: string; privateKey: KeyObject; publicKey: KeyObject };

export type AuthUser = { id: string; email: string; password?: string; invitedAt?: string; confirmedAt?: string };

/** A Supabase Auth session, exactly as GoTrue answers it and @supabase/ssr stores it in the cookie. */
export type AuthSession = {
  access_token: string;
  token_type: "bearer";
  expires_in: number;
  expires_at: number;
  refresh_token: string;
  user: ReturnType<typeof userJson>;
};

/** An email Auth would have sent: a magic link or an invitation. */
export type SentEmail = {
  to: string;
  type: "magiclink" | "invite";
  tokenHash: string;
  redirectTo?: string;
  /** The default template's link: Auth's own /verify, which redirects to redirectTo. */
  confirmationUrl: string;
};

export type AuthRequest = { method: string; path: string; query: string; apikey: string | null; body: Record<string, unknown> | null };

export function createSigningKey(kid: string = randomUUID()): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  return { kid, privateKey, publicKey };
}

/** Signs claims as Supabase Auth does with an asymmetric key: ES256, with the key id in the header. */
export function signJwt(claims: Record<string, unknown>, key: SigningKey): string {
  const header = Buffer.from(JSON.stringify({ alg: "ES256", typ: "JWT", kid: key.kid })).toString("base64url");
  const payload = Buffer.from(JSON.stringify(claims)).toString("base64url");
  const signature = sign("sha256", Buffer.from(`${header}.${payload}`), { key: key.privateKey, dsaEncoding: "ieee-p1363" });
  return `${header}.${payload}.${signature.toString("base64url")}`;
}

/**
 * Supabase Auth (GoTrue) as @supabase/auth-js calls it, mounted at `${url}/auth/v1`:
 * the JWKS at /.well-known/jwks.json; POST /token with grant_type password, refresh_token (each
 * refresh token works once, as rotation makes it) and pkce; POST /otp (a magic link, "mailed" to
 * `emails`; unknown emails refused when create_user is false); POST /verify with a token_hash and
 * GET /verify as the default email link (redirecting with a PKCE code); GET /user; POST /logout;
 * and the admin POST /invite, which needs the secret key. Every request but the email link needs
 * a project API key.
 * Access tokens are ES256 JWTs signed with `signingKey`.
 */
export function supabaseAuthStandIn(options: { url: string; publishableKey: string; secretKey: string }) {
  const issuer = `${options.url}/auth/v1`;
  const signingKey = createSigningKey();
  const users = new Map<string, AuthUser>();
  const refreshTokens = new Map<string, { userId: string; sessionId: string; used: boolean; revoked: boolean }>();
  const otps = new Map<string, { userId: string; type: SentEmail["type"]; redirectTo?: string; codeChallenge?: string }>();
  const authCodes = new Map<string, { userId: string; codeChallenge: string }>();
  const emails: SentEmail[] = [];
  const requests: AuthRequest[] = [];

  const handle: StandIn = async (request) => {
    const url = new URL(request.url);
    const path = url.pathname.replace(/^\/auth\/v1/, "");
    const apikey = request.headers.get("apikey");
    const body = request.method === "POST" ? ((await request.json().catch(() => null)) as Record<string, unknown> | null) : null;
    requests.push({ method: request.method, path, query: url.search, apikey, body });
    const route = `${request.method} ${path}`;
    // The link in an email is opened by a browser, which has no API key.
    if (route === "GET /verify") return followEmailLink(url.searchParams);
    if (apikey !== options.publishableKey && apikey !== options.secretKey) return json(401, { message: "Invalid API key" });
    if (route === "GET /.well-known/jwks.json") return json(200, { keys: [publicJwk(signingKey)] });
    if (route === "POST /token") return token(url.searchParams.get("grant_type"), body ?? {});
    if (route === "POST /otp") return requestMagicLink(body ?? {}, url.searchParams.get("redirect_to") ?? undefined);
    if (route === "POST /verify") return verifyTokenHash(body ?? {});
    if (route === "GET /user") return currentUser(request);
    if (route === "POST /logout") return logout(request, url.searchParams.get("scope") ?? "global");
    if (route === "POST /invite") {
      if (apikey !== options.secretKey) return authError(403, "not_admin", "User not allowed");
      return invite(body ?? {}, url.searchParams.get("redirect_to") ?? undefined);
    }
    return json(404, { code: 404, error_code: "not_found", msg: `The stand-in has no ${route}` });
  };

  function token(grantType: string | null, body: Record<string, unknown>): Response {
    if (grantType === "password") {
      const user = findByEmail(String(body.email ?? ""));
      if (!user || !user.password || user.password !== body.password) return authError(400, "invalid_credentials", "Invalid login credentials");
      return json(200, createSession(user.id));
    }
    if (grantType === "refresh_token") {
      const entry = refreshTokens.get(String(body.refresh_token ?? ""));
      if (!entry || entry.revoked) return authError(400, "refresh_token_not_found", "Invalid Refresh Token: Refresh Token Not Found");
      if (entry.used) return authError(400, "refresh_token_already_used", "Invalid Refresh Token: Already Used");
      entry.used = true;
      return json(200, createSession(entry.userId, { sessionId: entry.sessionId }));
    }
    if (grantType === "pkce") {
      const flow = authCodes.get(String(body.auth_code ?? ""));
      if (!flow) return authError(404, "flow_state_not_found", "invalid flow state, no valid flow state found");
      authCodes.delete(String(body.auth_code));
      const challenge = createHash("sha256").update(String(body.code_verifier ?? "")).digest("base64url");
      if (challenge !== flow.codeChallenge) return authError(403, "bad_code_verifier", "code challenge does not match previously saved code verifier");
      return json(200, createSession(flow.userId));
    }
    return authError(400, "validation_failed", `unsupported grant_type ${grantType}`);
  }

  function requestMagicLink(body: Record<string, unknown>, redirectTo: string | undefined): Response {
    const email = String(body.email ?? "");
    let user = findByEmail(email);
    if (!user && body.create_user === false) return authError(422, "otp_disabled", "Signups not allowed for otp");
    user ??= addUser({ email });
    const codeChallenge = typeof body.code_challenge === "string" ? body.code_challenge : undefined;
    mail(user, "magiclink", redirectTo, codeChallenge);
    return json(200, {});
  }

  function verifyTokenHash(body: Record<string, unknown>): Response {
    const otp = otps.get(String(body.token_hash ?? ""));
    const typeMatches = otp && (body.type === otp.type || (body.type === "email" && otp.type === "magiclink"));
    if (!otp || !typeMatches) return authError(403, "otp_expired", "Email link is invalid or has expired");
    otps.delete(String(body.token_hash));
    const user = users.get(otp.userId)!;
    user.confirmedAt ??= new Date().toISOString();
    return json(200, createSession(user.id));
  }

  function followEmailLink(query: URLSearchParams): Response {
    const otp = otps.get(query.get("token") ?? "");
    const redirectTo = query.get("redirect_to") ?? otp?.redirectTo ?? options.url;
    if (!otp) return Response.redirect(`${redirectTo}#error=access_denied&error_code=otp_expired`, 303);
    otps.delete(query.get("token")!);
    if (!otp.codeChallenge) {
      const session = createSession(otp.userId);
      return Response.redirect(`${redirectTo}#access_token=${session.access_token}&refresh_token=${session.refresh_token}`, 303);
    }
    const code = randomUUID();
    authCodes.set(code, { userId: otp.userId, codeChallenge: otp.codeChallenge });
    const target = new URL(redirectTo);
    target.searchParams.set("code", code);
    return Response.redirect(target.toString(), 303);
  }

  function currentUser(request: Request): Response {
    const claims = verifiedClaims(request);
    const user = claims && users.get(String(claims.sub));
    if (!user) return authError(403, "bad_jwt", "invalid JWT: unable to parse or verify signature, token is unverifiable");
    return json(200, userJson(user));
  }

  function logout(request: Request, scope: string): Response {
    const claims = verifiedClaims(request);
    if (!claims) return authError(403, "bad_jwt", "invalid JWT: unable to parse or verify signature, token is unverifiable");
    for (const entry of refreshTokens.values()) {
      const sameScope = scope === "local" ? entry.sessionId === claims.session_id : entry.userId === claims.sub;
      if (sameScope) entry.revoked = true;
    }
    return new Response(null, { status: 204 });
  }

  function invite(body: Record<string, unknown>, redirectTo: string | undefined): Response {
    const email = String(body.email ?? "");
    const existing = findByEmail(email);
    if (existing?.confirmedAt) return authError(422, "email_exists", "A user with this email address has already been registered");
    const user = existing ?? addUser({ email });
    user.invitedAt = new Date().toISOString();
    mail(user, "invite", redirectTo);
    return json(200, userJson(user));
  }

  function mail(user: AuthUser, type: SentEmail["type"], redirectTo?: string, codeChallenge?: string) {
    const tokenHash = randomBytes(28).toString("hex");
    otps.set(tokenHash, { userId: user.id, type, redirectTo, codeChallenge });
    const link = new URL(`${issuer}/verify`);
    link.searchParams.set("token", tokenHash);
    link.searchParams.set("type", type);
    if (redirectTo) link.searchParams.set("redirect_to", redirectTo);
    emails.push({ to: user.email, type, tokenHash, redirectTo, confirmationUrl: link.toString() });
  }

  function verifiedClaims(request: Request): Record<string, unknown> | null {
    const jwt = request.headers.get("authorization")?.replace(/^Bearer /, "") ?? "";
    const [header, payload, signature] = jwt.split(".");
    if (!header || !payload || !signature) return null;
    try {
      const signed = Buffer.from(`${header}.${payload}`);
      if (!verify("sha256", signed, { key: signingKey.publicKey, dsaEncoding: "ieee-p1363" }, Buffer.from(signature, "base64url"))) return null;
      const claims = JSON.parse(Buffer.from(payload, "base64url").toString()) as Record<string, unknown>;
      return typeof claims.exp === "number" && claims.exp > Date.now() / 1000 ? claims : null;
    } catch {
      return null;
    }
  }

  function findByEmail(email: string): AuthUser | undefined {
    return [...users.values()].find((user) => user.email.toLowerCase() === email.toLowerCase());
  }

  function addUser(user: { id?: string; email: string; password?: string }): AuthUser {
    const created: AuthUser = { id: user.id ?? randomUUID(), email: user.email, password: user.password };
    if (user.password) created.confirmedAt = new Date().toISOString();
    users.set(created.id, created);
    return created;
  }

  /** Claims as Supabase puts them in an access token, signed with this project's key unless told otherwise. */
  function accessToken(userId: string, options: { sessionId?: string; expiresInSeconds?: number; key?: SigningKey; claims?: Record<string, unknown> } = {}) {
    const user = users.get(userId);
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      iss: issuer,
      sub: userId,
      aud: "authenticated",
      exp: now + (options.expiresInSeconds ?? 3600),
      iat: now,
      email: user?.email,
      phone: "",
      app_metadata: { provider: "email", providers: ["email"] },
      user_metadata: {},
      role: "authenticated",
      aal: "aal1",
      amr: [{ method: "password", timestamp: now }],
      session_id: options.sessionId ?? randomUUID(),
      is_anonymous: false,
      ...options.claims,
    };
    return signJwt(claims, options.key ?? signingKey);
  }

  /** A new session for the user, its refresh token good for one refresh. */
  function createSession(userId: string, options: { sessionId?: string; expiresInSeconds?: number } = {}): AuthSession {
    const sessionId = options.sessionId ?? randomUUID();
    const expiresIn = options.expiresInSeconds ?? 3600;
    const refreshToken = randomBytes(12).toString("base64url");
    refreshTokens.set(refreshToken, { userId, sessionId, used: false, revoked: false });
    return {
      access_token: accessToken(userId, { sessionId, expiresInSeconds: expiresIn }),
      token_type: "bearer",
      expires_in: expiresIn,
      expires_at: Math.floor(Date.now() / 1000) + expiresIn,
      refresh_token: refreshToken,
      user: userJson(users.get(userId)!),
    };
  }

  return {
    handle,
    signingKey,
    users,
    emails,
    requests,
    addUser,
    accessToken,
    createSession,
    reset() {
      users.clear();
      refreshTokens.clear();
      otps.clear();
      authCodes.clear();
      emails.length = 0;
      requests.length = 0;
    },
  };
}

function userJson(user: AuthUser) {
  return {
    id: user.id,
    aud: "authenticated",
    role: "authenticated",
    email: user.email,
    email_confirmed_at: user.confirmedAt,
    invited_at: user.invitedAt,
    phone: "",
    app_metadata: { provider: "email", providers: ["email"] },
    user_metadata: {},
    identities: [],
    created_at: new Date(0).toISOString(),
    updated_at: new Date().toISOString(),
    is_anonymous: false,
  };
}

function publicJwk(key: SigningKey) {
  return { ...key.publicKey.export({ format: "jwk" }), kid: key.kid, alg: "ES256", use: "sig", key_ops: ["verify"] };
}

function authError(status: number, errorCode: string, message: string): Response {
  return json(status, { code: status, error_code: errorCode, msg: message });
}
