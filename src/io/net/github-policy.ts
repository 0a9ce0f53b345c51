// The GitHub client's pure rules: where the token may go, how it is kept out
// of every message, and how long a rate-limited answer asks us to wait.

// GitHub token shapes (classic, fine-grained, app, OAuth) and Authorization values.
const TOKEN_SHAPES = [
  /\bgh[pousr]_[A-Za-z0-9]{20,}\b/g,
  /\bgithub_pat_[A-Za-z0-9_]{20,}\b/g,
  /\b(authorization\s*[:=]\s*"?)(?:bearer|token|basic)\s+[^\s",}]+/gi,
  /\b(bearer|token)\s+[A-Za-z0-9_.=-]{16,}/gi,
];

/** Text with the given secrets and anything shaped like a GitHub token replaced. */
export function redactTokens(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join('[REDACTED]');
  for (const shape of TOKEN_SHAPES) {
    out = out.replace(shape, (match: string, prefix?: string) =>
      typeof prefix === 'string' && /authorization/i.test(prefix)
        ? `${prefix}[REDACTED]`
        : typeof prefix === 'string'
          ? `${prefix} [REDACTED]`
          : '[REDACTED]',
    );
  }
  return out;
}

export interface TokenOrigins {
  api: string;
  uploads: string;
}

/**
 * The two URL prefixes the token may be sent to: the API root and GitHub's
 * matching upload root (api.github.com <-> uploads.github.com; GitHub
 * Enterprise https://host/api/v3 <-> https://host/api/uploads). Any other
 * API root (a test server) allows only itself.
 */
export function tokenOrigins(apiUrl: string): TokenOrigins {
  const api = new URL(apiUrl.replace(/\/+$/, ''));
  const root = `${api.origin}${api.pathname.replace(/\/+$/, '')}/`;
  if (api.hostname === 'api.github.com')
    return { api: root, uploads: 'https://uploads.github.com/' };
  if (/\/api\/v3\/?$/.test(api.pathname)) {
    return { api: root, uploads: `${api.origin}${api.pathname.replace(/\/v3\/?$/, '/uploads/')}` };
  }
  return { api: root, uploads: root };
}

/** Whether the token may go to `url` (same scheme, host, port and path root). */
export function mayCarryToken(url: string, origins: TokenOrigins): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  const full = `${parsed.origin}${parsed.pathname}`;
  return [origins.api, origins.uploads].some((root) => full.startsWith(root));
}

/** How long a rate-limited answer asks us to wait, or null when it is not one. */
export function rateLimitWait(
  status: number,
  headers: Headers,
  body: string,
  now: number,
): number | null {
  if (status !== 403 && status !== 429) return null;
  const after = headers.get('retry-after');
  if (after !== null && /^\d+$/.test(after.trim())) return Number(after.trim()) * 1000;
  if (headers.get('x-ratelimit-remaining') === '0') {
    const reset = Number(headers.get('x-ratelimit-reset'));
    if (Number.isFinite(reset) && reset > 0) return Math.max(0, reset * 1000 - now) + 1000;
  }
  // GitHub's documented advice for a secondary limit without a header: wait a minute.
  if (/secondary rate limit/i.test(body)) return 60_000;
  return status === 429 ? 60_000 : null;
}
