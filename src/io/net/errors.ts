// Every network failure ends as one line: the URL (credentials removed), what
// went wrong (the HTTP status or the network error) and what to do; exit 1.
// NetError is a UserError so the command table prints it without a stack.
import { printable } from '../../ui/printable.js';
import { EXIT, UserError } from '../../command.js';

export class NetError extends UserError {
  constructor(
    readonly url: string,
    readonly problem: string,
    readonly advice: string,
    /** The HTTP status, when there was a response. */
    readonly status: number | null = null,
  ) {
    super(`${redactUrl(url)}: ${problem}; ${advice}`, EXIT.failed);
    this.name = 'NetError';
  }
}

/** The URL as it may be printed: no user name or password, control characters escaped. */
export function redactUrl(url: string): string {
  let shown = url;
  try {
    const parsed = new URL(url);
    if (parsed.username || parsed.password) {
      parsed.username = '';
      parsed.password = '';
      shown = parsed.toString();
    }
  } catch {
    // Not a URL: strip anything that looks like user:password@ before the host.
    shown = url.replace(/\/\/[^/@\s]*@/, '//');
  }
  return printable(shown);
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  407: 'Proxy Authentication Required',
  408: 'Request Timeout',
  410: 'Gone',
  416: 'Range Not Satisfiable',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** What to do about an HTTP status the download could not use. */
export function statusError(url: string, status: number): NetError {
  const text = STATUS_TEXT[status] ? ` ${STATUS_TEXT[status]}` : '';
  const advice =
    status === 401 || status === 403
      ? 'check the URL and that you may read it (a private release needs access)'
      : status === 404 || status === 410
        ? 'check the URL (release tag and file name)'
        : status === 407
          ? 'the proxy wants credentials: put them in HTTPS_PROXY (http://user:pass@proxy:port)'
          : status === 429 || status >= 500
            ? 'the server is failing or busy; try again later'
            : 'check the URL';
  return new NetError(url, `HTTP ${status}${text}`, advice, status);
}

/** Error codes of undici and Node's sockets, with what they mean for a user. */
const NETWORK_CODES: Record<string, [string, string]> = {
  ECONNREFUSED: ['connection refused', 'check the URL and that the server is up'],
  ECONNRESET: ['connection reset', 'try again; behind a proxy, set HTTPS_PROXY'],
  ENOTFOUND: ['host not found', 'check the host name, or set HTTPS_PROXY if you need a proxy'],
  EAI_AGAIN: ['name lookup failed', 'check the network (DNS), or set HTTPS_PROXY'],
  EHOSTUNREACH: ['host unreachable', 'check the network, or set HTTPS_PROXY'],
  ENETUNREACH: ['network unreachable', 'check the network, or set HTTPS_PROXY'],
  ETIMEDOUT: ['connection timed out', 'check the network, or set HTTPS_PROXY'],
  EPIPE: ['connection closed by the server', 'try again'],
  UND_ERR_SOCKET: ['connection closed by the server', 'try again'],
  UND_ERR_CLOSED: ['connection closed', 'try again'],
  UND_ERR_ABORTED: ['request aborted', 'try again'],
};

const TLS_UNTRUSTED = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
]);

function codeOf(error: unknown): string | null {
  let e = error as { code?: unknown; cause?: unknown } | undefined;
  for (let depth = 0; e && depth < 4; depth++) {
    if (typeof e.code === 'string') return e.code;
    e = e.cause as typeof e;
  }
  return null;
}

export function isStall(error: unknown): boolean {
  const code = codeOf(error);
  return code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT';
}

export function hasCode(error: unknown): boolean {
  return codeOf(error) !== null;
}

/** Is this failure worth another attempt (the network, not the request)? */
export function isTransient(error: unknown): boolean {
  const code = codeOf(error);
  if (code === null) return false;
  if (TLS_UNTRUSTED.has(code) || code.startsWith('ERR_TLS') || code.startsWith('CERT_'))
    return false;
  // A server silent for the whole stall timeout is not waited for again
  // (download.ts retries a stall only when the attempt had made progress).
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') return false;
  return (
    code in NETWORK_CODES || code.startsWith('UND_ERR_') || code === 'ERR_STREAM_PREMATURE_CLOSE'
  );
}

export interface Timeouts {
  connectMs: number;
  stallMs: number;
}

/** A thrown network error as one line naming the URL. */
export function networkError(url: string, error: unknown, t: Timeouts, attempts = 1): NetError {
  const code = codeOf(error) ?? '';
  const tried = attempts > 1 ? ` (after ${attempts} attempts)` : '';
  const secs = (ms: number) => `${Math.round(ms / 100) / 10} s`;
  if (code === 'UND_ERR_CONNECT_TIMEOUT')
    return new NetError(
      url,
      `no connection within ${secs(t.connectMs)}${tried}`,
      'check the network, or set HTTPS_PROXY if you are behind a proxy',
    );
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT')
    return new NetError(
      url,
      `stalled: no data for ${secs(t.stallMs)}${tried}`,
      'check the connection and run the same command again (it resumes), or raise --timeout',
    );
  if (TLS_UNTRUSTED.has(code))
    return new NetError(
      url,
      `TLS certificate not trusted (${code})`,
      'if a company CA signs it, pass --ca-file <ca.pem> or set NODE_EXTRA_CA_CERTS',
    );
  if (code.startsWith('ERR_TLS') || code.startsWith('CERT_'))
    return new NetError(url, `TLS failed (${code})`, 'check the URL and the clock of this machine');
  const known = NETWORK_CODES[code];
  if (known) return new NetError(url, `${known[0]} (${code})${tried}`, known[1]);
  const message = printable(String((error as Error)?.message ?? error)).slice(0, 200);
  return new NetError(
    url,
    `${message}${code ? ` (${code})` : ''}${tried}`,
    'check the URL and the network',
  );
}
