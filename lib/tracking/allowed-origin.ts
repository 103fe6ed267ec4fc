/**
 * The request's Origin when its host is one of `domains` or a subdomain of one (any port, http or
 * https), else undefined. Only a well-formed origin is echoed back.
 */
export function allowedOrigin(origin: string | null, domains: readonly string[]): string | undefined {
  const url = origin ? URL.parse(origin) : null;
  if (!url || url.origin !== origin || !/^https?:$/.test(url.protocol)) return undefined;
  const host = url.hostname;
  return domains.some((domain) => host === domain || host.endsWith(`.${domain}`)) ? origin : undefined;
}
