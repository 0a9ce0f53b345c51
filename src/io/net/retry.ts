// When to try again, as pure decisions: exponential back-off with jitter
// (half of base * 2^(attempt-1), capped, plus a random part up to the other
// half, so clients that failed together do not return together), and a
// server's Retry-After honoured when it says how long (seconds or an HTTP
// date) and the wait is not absurd.

export interface RetryPolicy {
  /** Further attempts after the first one. */
  retries: number;
  baseMs: number;
  maxMs: number;
  /** A Retry-After longer than this is not waited for: the attempt fails instead. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  retries: 5,
  baseMs: 500,
  maxMs: 30_000,
  maxRetryAfterMs: 120_000,
};

/** Statuses that say "not now" rather than "no". */
export function retryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** Retry-After in milliseconds, or null when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | null {
  if (value === null || value === undefined) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - nowMs);
}

/**
 * The wait before attempt number `attempt + 1` (attempt counts from 1), or null
 * when the policy says to stop: out of retries, or the server asks for a
 * longer pause than we will wait. `random` is in [0, 1).
 */
export function retryDelay(
  attempt: number,
  policy: RetryPolicy,
  retryAfterMs: number | null,
  random: () => number,
): number | null {
  if (attempt > policy.retries) return null;
  if (retryAfterMs !== null) {
    return retryAfterMs <= policy.maxRetryAfterMs ? retryAfterMs : null;
  }
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
