// The one HTTP layer (undici) under downloads and the release clients:
// proxies from HTTPS_PROXY / HTTP_PROXY / NO_PROXY (either case), a company CA
// from --ca-file or NODE_EXTRA_CA_CERTS, connect and stall timeouts, redirects
// followed only to http(s), and retries with back-off that honour Retry-After.
// Every failure is a NetError: one line with the URL and what to do.
import { readFile } from 'node:fs/promises';
import { rootCertificates } from 'node:tls';
import {
  EnvHttpProxyAgent,
  Pool,
  fetch as undiciFetch,
  request as undiciRequest,
  type Dispatcher,
} from 'undici';
import { UserError } from '../../command.js';
import { printable } from '../../ui/printable.js';
import { NetError, hasCode, isTransient, networkError, redactUrl, statusError } from './errors.js';
import {
  DEFAULT_RETRY,
  parseRetryAfter,
  retryDelay,
  retryableStatus,
  type RetryPolicy,
} from './retry.js';

export interface NetConfig {
  /** Where the proxy and CA variables are read (the command's environment). */
  env: NodeJS.ProcessEnv;
  /** A PEM file of extra CAs to trust (--ca-file), beside NODE_EXTRA_CA_CERTS. */
  caFile: string | null;
  /** Where caFile was named, for messages (default '--ca-file'). */
  caFrom?: string;
  connectTimeoutMs: number;
  /** No byte for this long (headers or body) fails the attempt. */
  stallTimeoutMs: number;
  retry: RetryPolicy;
  /** Injected so tests do not wait for real. */
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  now: () => number;
  /** Credentials for one origin (a company store), sent there only: never on a redirect elsewhere. */
  auth?: OriginAuth;
}

/**
 * The credentials of one origin. They go out only once that origin has asked
 * (HTTP 401), so a server that reads without them never sees them; after
 * that, every request to the origin carries them.
 */
export interface OriginAuth {
  origin: string;
  /** The Authorization header value; null when none were found (a 401 then says how to give them). */
  authorization: string | null;
  /** Where they came from (a variable or file name, never the value), for messages. */
  from: string | null;
  /** The origin has asked for them: send them with every request to it. */
  asked: boolean;
}

/** The Authorization header a request to `url` carries, if any. */
function authFor(config: NetConfig, url: URL): Record<string, string> {
  const auth = config.auth;
  if (!auth?.authorization || !auth.asked || url.origin !== auth.origin) return {};
  return { authorization: auth.authorization };
}

/** A 401 from the credentials' own origin to a request sent without them: they may answer it. */
function mayAnswer(config: NetConfig, url: URL, status: number, sent: boolean): boolean {
  const auth = config.auth;
  return status === 401 && !sent && !!auth?.authorization && url.origin === auth.origin;
}

export function netConfig(env: NodeJS.ProcessEnv, overrides: Partial<NetConfig> = {}): NetConfig {
  return {
    env,
    caFile: null,
    connectTimeoutMs: 15_000,
    stallTimeoutMs: 30_000,
    retry: DEFAULT_RETRY,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    random: Math.random,
    now: Date.now,
    ...overrides,
  };
}

const MAX_REDIRECTS = 8;

function envValue(env: NodeJS.ProcessEnv, name: string): string {
  return env[name.toLowerCase()] ?? env[name.toUpperCase()] ?? '';
}

async function readCa(path: string, from: string): Promise<string> {
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new UserError(
      `${from} ${printable(path)} cannot be read (${error.code ?? error.message}); name a PEM file of CA certificates`,
    );
  });
  if (!text.includes('-----BEGIN CERTIFICATE-----')) {
    throw new UserError(
      `${from} ${printable(path)} holds no PEM certificate; name a PEM file of CA certificates`,
    );
  }
  return text;
}

/** Node's own roots plus the company CAs, or null when there are none to add. */
async function trustedCas(config: NetConfig): Promise<string[] | null> {
  const extra: string[] = [];
  // Node reads NODE_EXTRA_CA_CERTS only at start-up and only for its default
  // store, which an explicit `ca` would replace: read it here as well.
  const envCa = config.env.NODE_EXTRA_CA_CERTS;
  if (envCa) extra.push(await readCa(envCa, 'NODE_EXTRA_CA_CERTS'));
  if (config.caFile) extra.push(await readCa(config.caFile, config.caFrom ?? '--ca-file'));
  return extra.length ? [...rootCertificates, ...extra] : null;
}

const dispatchers = new WeakMap<NetConfig, Promise<Dispatcher>>();

/**
 * The dispatcher every request of this configuration goes through (one per
 * configuration, so connections are kept alive across requests). Pass it to
 * undici's `fetch`/`request` as `dispatcher`.
 */
export function httpDispatcher(config: NetConfig): Promise<Dispatcher> {
  let made = dispatchers.get(config);
  if (!made) {
    made = makeDispatcher(config);
    dispatchers.set(config, made);
  }
  return made;
}

async function makeDispatcher(config: NetConfig): Promise<Dispatcher> {
  const ca = await trustedCas(config);
  // No TCP keep-alive probes: the stall timeout already notices a dead link,
  // and setting them fails on some Windows socket layers (Wine's, for one).
  const tls = { timeout: config.connectTimeoutMs, keepAlive: false, ...(ca ? { ca } : {}) };
  const timeouts = { headersTimeout: config.stallTimeoutMs, bodyTimeout: config.stallTimeoutMs };
  const proxies = {
    httpProxy: envValue(config.env, 'http_proxy'),
    httpsProxy: envValue(config.env, 'https_proxy'),
    noProxy: envValue(config.env, 'no_proxy'),
  };
  try {
    return new EnvHttpProxyAgent({
      ...proxies,
      ...timeouts,
      connect: tls,
      requestTls: tls,
      proxyTls: tls,
      // Plain http goes to the proxy as an absolute-URI request, as curl does;
      // many company proxies allow CONNECT to port 443 only.
      proxyTunnel: false,
      // undici's direct-to-proxy client takes only `connect`; the timeouts come in here.
      factory: (origin, options) => new Pool(origin, { ...options, ...timeouts }),
    });
  } catch (error) {
    const which = proxies.httpsProxy ? 'HTTPS_PROXY' : 'HTTP_PROXY';
    const value = redactUrl(proxies.httpsProxy || proxies.httpProxy);
    throw new UserError(
      `${which} '${value}' is not a usable proxy URL (${(error as Error).message}); set it to http://host:port`,
    );
  }
}

/**
 * A fetch that goes through this configuration's proxy, CA and timeouts (no
 * retries: the caller decides what is safe to repeat).
 */
/** A fetch for a URL string with any init (the GitHub client's FetchLike fits it). */
export type HttpFetch = (url: string, init?: object) => Promise<globalThis.Response>;

export async function netFetch(config: NetConfig): Promise<HttpFetch> {
  const dispatcher = await httpDispatcher(config);
  return (url, init) =>
    undiciFetch(url, {
      ...(init as Parameters<typeof undiciFetch>[1]),
      dispatcher,
    }) as unknown as Promise<globalThis.Response>;
}

export interface Response {
  status: number;
  headers: Record<string, string | undefined>;
  body: Dispatcher.ResponseData['body'];
  /** The URL after redirects. */
  url: string;
}

/** A URL crossflake may fetch: http(s) only. */
export function checkHttpUrl(url: string, from?: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UserError(`'${printable(url)}' is not a valid URL; give an http:// or https:// URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    const why = from
      ? `${redactUrl(from)} redirects to a ${parsed.protocol} URL`
      : `a ${parsed.protocol} URL`;
    throw new NetError(url, `${why}, and only http and https are followed`, 'check the URL');
  }
  return parsed;
}

function flatHeaders(
  raw: Record<string, string | string[] | undefined>,
): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(raw)) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

/**
 * One GET, following redirects (Range and If-Range go along, so a resume
 * through a storage host still asks only for the rest). Network errors throw
 * as they come; the caller maps them with `networkError`.
 */
export async function get(
  url: string,
  headers: Record<string, string>,
  config: NetConfig,
): Promise<Response> {
  const dispatcher = await httpDispatcher(config);
  let current = checkHttpUrl(url);
  for (let hops = 0; ; hops++) {
    const auth = authFor(config, current);
    const res = await undiciRequest(current, {
      dispatcher,
      method: 'GET',
      headers: { 'user-agent': 'crossflake', ...headers, ...auth },
    });
    if (mayAnswer(config, current, res.statusCode, 'authorization' in auth)) {
      await res.body.dump().catch(() => undefined);
      config.auth!.asked = true;
      continue; // the same URL again, now with the credentials
    }
    const location = res.headers.location;
    if (res.statusCode >= 300 && res.statusCode < 400 && typeof location === 'string') {
      await res.body.dump().catch(() => undefined);
      if (hops >= MAX_REDIRECTS) {
        throw new NetError(
          url,
          `more than ${MAX_REDIRECTS} redirects (a loop?)`,
          "tell the server's owner",
        );
      }
      let next: URL;
      try {
        next = new URL(location, current);
      } catch {
        throw new NetError(
          current.toString(),
          'redirects to an invalid URL',
          "tell the server's owner",
        );
      }
      current = checkHttpUrl(next.toString(), current.toString());
      continue;
    }
    return {
      status: res.statusCode,
      headers: flatHeaders(res.headers),
      body: res.body,
      url: current.toString(),
    };
  }
}

/** What one attempt of a retried operation came to. */
export type Outcome<T> =
  | { ok: true; value: T }
  /** Worth another attempt; `retryAfterMs` when the server said how long to wait. */
  | { ok: false; error: NetError; retryAfterMs: number | null };

/**
 * Runs `once` until it succeeds, fails for good, or the policy says stop.
 * A thrown transient network error counts as a failed attempt; anything
 * else thrown ends the loop at once.
 */
export async function withRetries<T>(
  url: string,
  config: NetConfig,
  once: (attempt: number) => Promise<Outcome<T>>,
): Promise<{ value: T; attempts: number }> {
  for (let attempt = 1; ; attempt++) {
    let outcome: Outcome<T>;
    try {
      outcome = await once(attempt);
    } catch (error) {
      if (error instanceof UserError) throw error;
      // Errors without a code are bugs: they keep their stack.
      if (!hasCode(error)) throw error;
      const failure = networkError(url, error, timeoutsOf(config), attempt);
      if (!isTransient(error)) throw failure;
      outcome = { ok: false, error: failure, retryAfterMs: null };
    }
    if (outcome.ok) return { value: outcome.value, attempts: attempt };
    const wait = retryDelay(attempt, config.retry, outcome.retryAfterMs, config.random);
    if (wait === null) throw withAttempts(outcome.error, attempt, outcome.retryAfterMs, config);
    await config.sleep(wait);
  }
}

function withAttempts(
  error: NetError,
  attempts: number,
  retryAfterMs: number | null,
  config: NetConfig,
): NetError {
  if (retryAfterMs !== null && retryAfterMs > config.retry.maxRetryAfterMs) {
    const secs = Math.ceil(retryAfterMs / 1000);
    return new NetError(
      error.url,
      `${error.problem} (the server asks to wait ${secs} s)`,
      'try again later',
      error.status,
    );
  }
  if (attempts <= 1 || /after \d+ attempts/.test(error.problem)) return error;
  return new NetError(
    error.url,
    `${error.problem} (after ${attempts} attempts)`,
    error.advice,
    error.status,
  );
}

export function timeoutsOf(config: NetConfig): { connectMs: number; stallMs: number } {
  return { connectMs: config.connectTimeoutMs, stallMs: config.stallTimeoutMs };
}

/** A failed status as an Outcome: retried when the server says "not now". */
export function statusOutcome<T>(url: string, res: Response, config: NetConfig): Outcome<T> {
  const error = storeAuthError(url, res.status, config) ?? statusError(url, res.status);
  if (!retryableStatus(res.status)) throw error;
  return {
    ok: false,
    error,
    retryAfterMs: parseRetryAfter(res.headers['retry-after'], config.now()),
  };
}

const TEXT_LIMIT = 16 * 1024 * 1024;

/** A small text resource (SHA256SUMS, manifest.json); null when the server says 404/410. */
export async function fetchText(url: string, config: NetConfig): Promise<string | null> {
  const { value } = await withRetries<string | null>(url, config, async () => {
    const res = await get(url, {}, config);
    if (res.status === 404 || res.status === 410) {
      await res.body.dump();
      return { ok: true, value: null };
    }
    if (res.status !== 200) {
      await res.body.dump().catch(() => undefined);
      return statusOutcome(url, res, config);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body) {
      size += (chunk as Buffer).length;
      if (size > TEXT_LIMIT) {
        res.body.destroy();
        throw new NetError(
          url,
          `larger than ${TEXT_LIMIT / 1024 ** 2} MiB`,
          'check the URL: this should be a small text file',
        );
      }
      chunks.push(chunk as Buffer);
    }
    return { ok: true, value: Buffer.concat(chunks).toString('utf8') };
  });
  return value;
}

/** A refusal by the store the credentials are for: which credentials, or how to give some. */
function storeAuthError(url: string, status: number, config: NetConfig): NetError | null {
  const auth = config.auth;
  if ((status !== 401 && status !== 403) || !auth) return null;
  let origin: string;
  try {
    origin = new URL(url).origin;
  } catch {
    return null;
  }
  if (origin !== auth.origin) return null;
  const advice = auth.authorization
    ? `check the credentials (from ${auth.from ?? 'the environment'}) and that they may read here`
    : 'check the URL and that you may read it (a store that wants credentials takes CROSSFLAKE_STORE_USER and CROSSFLAKE_STORE_PASSWORD, CROSSFLAKE_STORE_TOKEN, or the host in ~/.netrc)';
  return new NetError(
    url,
    `HTTP ${status} ${status === 401 ? 'Unauthorized' : 'Forbidden'}`,
    advice,
    status,
  );
}
