// The HTTP store client (Artifactory generic, Nexus raw, WebDAV): HEAD to see
// what is there, GET to read small files or hash a large one, PUT to store a
// file, all through the one HTTP layer (proxy, CA, timeouts, retries).
// Redirects are not followed: the credentials must go to the store's own
// origin and nowhere else, and a PUT body cannot be sent twice by a redirect.
import { createHash } from 'node:crypto';
import { request as undiciRequest, type Dispatcher } from 'undici';
import { fileRequestBody } from './file-body.js';
import type { UploadSource } from './github.js';
import {
  httpDispatcher,
  statusOutcome,
  withRetries,
  type NetConfig,
  type Response,
} from './client.js';
import { NetError, redactUrl } from './errors.js';

export interface StoreClient {
  auth: Record<string, string>;
  net: NetConfig;
  /** Counts requests by method, for the report and the tests. */
  sent?: Record<string, number>;
}

function refuseRedirect(url: string, res: Response): void {
  if (res.status >= 300 && res.status < 400)
    throw new NetError(
      url,
      `HTTP ${res.status} redirects to ${redactUrl(res.headers.location ?? '?')}`,
      'give the final store URL in --to (credentials are not sent on to another place)',
      res.status,
    );
}

function authError(url: string, res: Response, auth: Record<string, string>): NetError | null {
  if (res.status !== 401 && res.status !== 403) return null;
  const advice = auth.authorization
    ? 'check the credentials (CROSSFLAKE_STORE_USER/CROSSFLAKE_STORE_PASSWORD, CROSSFLAKE_STORE_TOKEN or ~/.netrc) and that they may write here'
    : 'the store wants credentials: set CROSSFLAKE_STORE_USER and CROSSFLAKE_STORE_PASSWORD, CROSSFLAKE_STORE_TOKEN, or add the host to ~/.netrc';
  return new NetError(
    url,
    `HTTP ${res.status} ${res.status === 401 ? 'Unauthorized' : 'Forbidden'}`,
    advice,
    res.status,
  );
}

async function send(
  client: StoreClient,
  method: 'GET' | 'HEAD' | 'PUT',
  url: string,
  headers: Record<string, string>,
  body?: Dispatcher.DispatchOptions['body'],
): Promise<Response> {
  const dispatcher = await httpDispatcher(client.net);
  if (client.sent) client.sent[method] = (client.sent[method] ?? 0) + 1;
  const res = await undiciRequest(url, {
    dispatcher,
    method,
    headers: { 'user-agent': 'crossflake', ...client.auth, ...headers },
    body,
  });
  const flat: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(res.headers)) flat[k] = Array.isArray(v) ? v.join(', ') : v;
  return { status: res.statusCode, headers: flat, body: res.body, url };
}

export interface RemoteFile {
  size: number | null;
  /** From a checksum header the store gives (Artifactory's X-Checksum-Sha256), else null. */
  sha256: string | null;
}

const HEX64 = /^[0-9a-f]{64}$/;

/** What the store holds at `url`: null when nothing. */
export async function headFile(client: StoreClient, url: string): Promise<RemoteFile | null> {
  const { value } = await withRetries<RemoteFile | null>(url, client.net, async () => {
    const res = await send(client, 'HEAD', url, {});
    await res.body.dump().catch(() => undefined);
    if (res.status === 404 || res.status === 410) return { ok: true, value: null };
    refuseRedirect(url, res);
    const denied = authError(url, res, client.auth);
    if (denied) throw denied;
    if (res.status !== 200) return statusOutcome(url, res, client.net);
    const length = Number(res.headers['content-length']);
    const sum = res.headers['x-checksum-sha256']?.trim().toLowerCase() ?? '';
    return {
      ok: true,
      value: {
        size: Number.isSafeInteger(length) ? length : null,
        sha256: HEX64.test(sum) ? sum : null,
      },
    };
  });
  return value;
}

/**
 * GETs `url` and hands a 200 body to `read`; null when absent (404/410).
 * Redirects and refused credentials end at once; "not now" is retried.
 */
async function getBody<T>(
  client: StoreClient,
  url: string,
  read: (body: Response['body']) => Promise<T>,
): Promise<T | null> {
  const { value } = await withRetries<T | null>(url, client.net, async () => {
    const res = await send(client, 'GET', url, {});
    if (res.status === 404 || res.status === 410) {
      await res.body.dump();
      return { ok: true, value: null };
    }
    refuseRedirect(url, res);
    const denied = authError(url, res, client.auth);
    if (denied) throw denied;
    if (res.status !== 200) {
      await res.body.dump().catch(() => undefined);
      return statusOutcome(url, res, client.net);
    }
    return { ok: true, value: await read(res.body) };
  });
  return value;
}

/** A small text file from the store, or null when absent. */
export function getText(client: StoreClient, url: string): Promise<string | null> {
  return getBody(client, url, (body) => body.text());
}

/** The SHA-256 of what the store holds (read back once: the store gave no checksum). */
export async function hashRemote(client: StoreClient, url: string): Promise<string> {
  const sum = await getBody(client, url, async (body) => {
    const hash = createHash('sha256');
    for await (const chunk of body) hash.update(chunk as Buffer);
    return hash.digest('hex');
  });
  if (sum === null)
    throw new NetError(url, 'vanished while it was being read', 'run the release again');
  return sum;
}

function bodyOf(source: UploadSource): Dispatcher.DispatchOptions['body'] {
  if ('data' in source) return Buffer.from(source.data);
  return fileRequestBody(source.path, source.start, source.end);
}

/**
 * Stores one file. A failed attempt (dropped connection, 5xx, 429) sends the
 * whole file again: stores that take PUT keep no half-written file.
 */
export async function putFile(
  client: StoreClient,
  url: string,
  source: UploadSource,
  file: { size: number; sha256: string; contentType: string },
): Promise<void> {
  await withRetries<void>(url, client.net, async () => {
    const res = await send(
      client,
      'PUT',
      url,
      {
        'content-type': file.contentType,
        'content-length': String(file.size),
        // Stores that know it (Artifactory) check the bytes against it.
        'x-checksum-sha256': file.sha256,
      },
      bodyOf(source),
    );
    await res.body.dump().catch(() => undefined);
    refuseRedirect(url, res);
    const denied = authError(url, res, client.auth);
    if (denied) throw denied;
    if (res.status === 200 || res.status === 201 || res.status === 204)
      return { ok: true, value: undefined };
    return statusOutcome(url, res, client.net);
  });
}
