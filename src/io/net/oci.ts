// A small OCI distribution client over the one HTTP layer: the auth dance
// (anonymous, Basic for htpasswd registries, or the Bearer token flow a 401
// names), blobs (HEAD to skip what is there, chunked upload POST -> PATCH... ->
// PUT ?digest that resumes from the offset the registry reports, GET with
// digest check) and manifests. Credentials go to the registry and to the
// token service its challenge names, never along a redirect to blob storage.
import { request as undiciRequest, type Dispatcher } from 'undici';
import type { UploadSource } from './github.js';
import { fileRequestBody } from './file-body.js';
import {
  httpDispatcher,
  statusOutcome,
  timeoutsOf,
  withRetries,
  type NetConfig,
  type Response,
} from './client.js';
import { hasCode, NetError, networkError, redactUrl } from './errors.js';
import { authHeader, basicHeader, type StoreAuth } from '../../images/stores/credentials.js';
import {
  MANIFEST_MEDIA_TYPE,
  parseChallenge,
  registryOrigin,
  tokenUrl,
  type OciReference,
} from '../../images/stores/oci-layout.js';

type Method = 'GET' | 'HEAD' | 'POST' | 'PATCH' | 'PUT';

export interface UploadState {
  /** Where the registry keeps this blob's unfinished upload. */
  location: string;
}

export interface OciClientOptions {
  net: NetConfig;
  auth: StoreAuth;
  /** Bytes per PATCH. */
  chunkSize?: number;
  /** Counts requests by method (tests, report). */
  sent?: Record<string, number>;
  log?: (message: string) => void;
}

/**
 * Bytes per PATCH. Each chunk is a round trip in which the registry closes
 * its file and stores its hash state; a kill loses at most one chunk.
 */
const DEFAULT_CHUNK = 256 * 1024 * 1024;

const CREDENTIAL_ADVICE =
  'check CROSSFLAKE_OCI_USER/CROSSFLAKE_OCI_PASSWORD or the auths of ~/.docker/config.json (docker login)';

export class OciRegistry {
  readonly origin: string;
  private authorization: string | null = null;

  constructor(
    readonly ref: OciReference,
    private readonly options: OciClientOptions,
  ) {
    this.origin = registryOrigin(ref.registry);
  }

  private url(path: string): string {
    return new URL(path, this.origin).toString();
  }

  private async send(
    method: Method,
    url: string,
    headers: Record<string, string>,
    body?: Dispatcher.DispatchOptions['body'],
    withAuth = true,
  ): Promise<Response> {
    const dispatcher = await httpDispatcher(this.options.net);
    const sent = this.options.sent;
    if (sent) sent[method] = (sent[method] ?? 0) + 1;
    const auth =
      withAuth && this.authorization && new URL(url).origin === this.origin
        ? { authorization: this.authorization }
        : {};
    const res = await undiciRequest(url, {
      dispatcher,
      method,
      headers: { 'user-agent': 'crossflake', ...auth, ...headers },
      body,
    });
    const flat: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(res.headers)) flat[k] = Array.isArray(v) ? v.join(', ') : v;
    return { status: res.statusCode, headers: flat, body: res.body, url };
  }

  /**
   * Learns how the registry wants to be spoken to (GET /v2/) and proves the
   * credentials before anything is sent: wrong ones fail here, in one line.
   */
  async login(actions: 'pull' | 'pull,push'): Promise<void> {
    const ping = this.url('/v2/');
    const first = await this.retried(ping, () => this.send('GET', ping, {}));
    await first.body.dump().catch(() => undefined);
    if (first.status === 200) return;
    if (first.status !== 401) throw this.failure(ping, first);
    const challenge = parseChallenge(first.headers['www-authenticate']);
    const creds = this.options.auth;
    if (challenge?.scheme === 'bearer') {
      this.authorization = `Bearer ${await this.token(challenge, actions)}`;
    } else if (creds.kind === 'basic') {
      this.authorization = basicHeader(creds);
    } else if (creds.kind === 'bearer') {
      this.authorization = authHeader(creds).authorization!;
    } else {
      throw new NetError(
        ping,
        'HTTP 401 Unauthorized (the registry wants credentials)',
        CREDENTIAL_ADVICE,
        401,
      );
    }
    const again = await this.retried(ping, () => this.send('GET', ping, {}));
    await again.body.dump().catch(() => undefined);
    if (again.status === 401 || again.status === 403)
      throw new NetError(
        ping,
        `HTTP ${again.status}: the registry refused the credentials`,
        CREDENTIAL_ADVICE,
        again.status,
      );
    if (again.status !== 200) throw this.failure(ping, again);
  }

  private async token(
    challenge: NonNullable<ReturnType<typeof parseChallenge>>,
    actions: string,
  ): Promise<string> {
    const url = tokenUrl(challenge, `repository:${this.ref.repository}:${actions}`);
    const realm = new URL(url);
    // Credentials go to a token service over https, or to the registry's own host.
    const mayCarry = realm.protocol === 'https:' || realm.host === new URL(this.origin).host;
    const creds = this.options.auth;
    const headers: Record<string, string> =
      creds.kind === 'basic' && mayCarry ? { authorization: basicHeader(creds) } : {};
    const res = await this.retried(url, () => this.send('GET', url, headers, undefined, false));
    if (res.status === 401 || res.status === 403) {
      await res.body.dump().catch(() => undefined);
      throw new NetError(
        url,
        `HTTP ${res.status}: the token service refused the credentials`,
        CREDENTIAL_ADVICE,
        res.status,
      );
    }
    if (res.status !== 200) {
      await res.body.dump().catch(() => undefined);
      throw this.failure(url, res);
    }
    const data = (await res.body.json()) as { token?: unknown; access_token?: unknown };
    const token = typeof data.token === 'string' ? data.token : data.access_token;
    if (typeof token !== 'string' || !token)
      throw new NetError(
        url,
        'the token service answered without a token',
        "tell the registry's owner",
      );
    return token;
  }

  private failure(url: string, res: Response): NetError {
    if (res.status === 401 || res.status === 403)
      return new NetError(url, `HTTP ${res.status}: not allowed`, CREDENTIAL_ADVICE, res.status);
    try {
      statusOutcome(url, res, this.options.net);
    } catch (error) {
      if (error instanceof NetError) return error;
      throw error;
    }
    return new NetError(
      url,
      `HTTP ${res.status}`,
      'the registry is failing or busy; try again later',
      res.status,
    );
  }

  /** One request with the layer's retries for network failures and "not now" statuses. */
  private async retried(url: string, once: () => Promise<Response>): Promise<Response> {
    const { value } = await withRetries<Response>(url, this.options.net, async () => {
      const res = await once();
      if (res.status === 429 || res.status >= 500) {
        await res.body.dump().catch(() => undefined);
        return statusOutcome(url, res, this.options.net);
      }
      return { ok: true, value: res };
    });
    return value;
  }

  private blobUrl(digest: string): string {
    return this.url(`/v2/${this.ref.repository}/blobs/${digest}`);
  }

  /**
   * Where to GET a blob and the HTTP settings to do it with (after login):
   * the registry's authorization bound to its own origin, so the resuming
   * downloader sends it there and never along a redirect to blob storage.
   */
  blobDownload(digest: string): { url: string; net: NetConfig } {
    const creds = this.options.auth;
    return {
      url: this.blobUrl(digest),
      net: {
        ...this.options.net,
        auth: {
          origin: this.origin,
          authorization: this.authorization,
          from: creds.kind === 'none' ? null : creds.from,
          asked: true,
        },
      },
    };
  }

  async hasBlob(digest: string, size: number): Promise<boolean> {
    const url = this.blobUrl(digest);
    const res = await this.retried(url, () => this.send('HEAD', url, {}));
    await res.body.dump().catch(() => undefined);
    if (res.status === 404) return false;
    if (res.status !== 200) throw this.failure(url, res);
    const length = Number(res.headers['content-length']);
    return !Number.isSafeInteger(length) || length === size;
  }

  /** Starts an upload session; its Location is where the chunks go. */
  private async startUpload(): Promise<string> {
    const url = this.url(`/v2/${this.ref.repository}/blobs/uploads/`);
    const res = await this.retried(url, () => this.send('POST', url, { 'content-length': '0' }));
    await res.body.dump().catch(() => undefined);
    if (res.status !== 202 || !res.headers.location) throw this.failure(url, res);
    return new URL(res.headers.location, this.origin).toString();
  }

  /** How many bytes the registry holds of an upload, or null when it forgot it. */
  private async uploadOffset(location: string): Promise<number | null> {
    const res = await this.retried(location, () => this.send('GET', location, {}));
    await res.body.dump().catch(() => undefined);
    if (res.status === 404) return null;
    if (res.status !== 204 && res.status !== 200) throw this.failure(location, res);
    const range = /^(?:bytes=)?0-(\d+)$/.exec(res.headers.range?.trim() ?? '');
    return range ? Number(range[1]) + 1 : 0;
  }

  /**
   * Uploads one blob in chunks. A chunk that fails asks the registry how far
   * it got and goes on from there; `saved` carries the session across runs
   * (a killed release resumes the blob instead of starting it again).
   */
  async uploadBlob(
    source: UploadSource,
    size: number,
    digest: string,
    saved: UploadState | null,
    save: (state: UploadState | null) => Promise<void>,
  ): Promise<{ resumedFrom: number }> {
    const chunk = this.options.chunkSize ?? DEFAULT_CHUNK;
    // A blob that fits in one chunk goes up in one PUT (POST, then PUT with
    // the body and the digest): no PATCH round trip and no stored hash state
    // per chunk. If that fails, the chunked upload below starts it afresh.
    if (!saved && size <= chunk && (await this.putWhole(source, size, digest, save)))
      return { resumedFrom: 0 };
    let location = saved?.location ?? null;
    let offset = location ? await this.uploadOffset(location) : null;
    if (location && offset === null) location = null;
    const resumedFrom = offset ?? 0;
    if (location && resumedFrom > 0)
      this.options.log?.(`resuming ${digest} at byte ${resumedFrom}`);
    if (!location) {
      location = await this.startUpload();
      offset = 0;
      await save({ location });
    }
    let pos = offset ?? 0;
    let failures = 0;
    while (pos < size) {
      const end = Math.min(size, pos + chunk) - 1;
      try {
        const res = await this.send(
          'PATCH',
          location,
          {
            'content-type': 'application/octet-stream',
            'content-length': String(end - pos + 1),
            'content-range': `${pos}-${end}`,
          },
          bodyRange(source, pos, end),
        );
        await res.body.dump().catch(() => undefined);
        if (res.status !== 202) throw this.failure(location, res);
        if (res.headers.location) location = new URL(res.headers.location, this.origin).toString();
        await save({ location });
        pos = end + 1;
        failures = 0;
      } catch (error) {
        if (!(error instanceof NetError) && !hasCode(error)) throw error;
        if (
          error instanceof NetError &&
          error.status !== null &&
          error.status < 500 &&
          error.status !== 416
        )
          throw error;
        failures++;
        if (failures > this.options.net.retry.retries)
          throw error instanceof NetError
            ? error
            : networkError(location, error, timeoutsOf(this.options.net), failures);
        this.options.log?.(`chunk at byte ${pos} failed; asking the registry how far it got`);
        await this.options.net.sleep(Math.min(2000, 200 * failures));
        const at = await this.uploadOffset(location);
        if (at !== null) pos = at;
        else {
          // Distribution forgets an upload whose chunk was torn mid-way: start again.
          this.options.log?.(`the registry dropped the upload of ${digest}; starting it again`);
          location = await this.startUpload();
          await save({ location });
          pos = 0;
        }
      }
    }
    const done = new URL(location);
    done.searchParams.set('digest', digest);
    const url = done.toString();
    const res = await this.retried(url, () => this.send('PUT', url, { 'content-length': '0' }));
    await res.body.dump().catch(() => undefined);
    if (res.status !== 201) {
      await save(null);
      throw new NetError(
        url,
        `the registry did not take the blob (HTTP ${res.status}; a digest mismatch?)`,
        'run the release again',
        res.status,
      );
    }
    await save(null);
    return { resumedFrom };
  }

  /** One POST and one PUT with the whole body; false when the line failed (try chunked). */
  private async putWhole(
    source: UploadSource,
    size: number,
    digest: string,
    save: (state: UploadState | null) => Promise<void>,
  ): Promise<boolean> {
    const done = new URL(await this.startUpload());
    done.searchParams.set('digest', digest);
    const url = done.toString();
    let res: Response;
    try {
      res = await this.send(
        'PUT',
        url,
        { 'content-type': 'application/octet-stream', 'content-length': String(size) },
        size > 0 ? bodyRange(source, 0, size - 1) : Buffer.alloc(0),
      );
    } catch (error) {
      if (!hasCode(error)) throw error;
      this.options.log?.(`the upload of ${digest} in one piece failed; sending it in chunks`);
      return false;
    }
    await res.body.dump().catch(() => undefined);
    if (res.status === 201) {
      await save(null);
      return true;
    }
    if (res.status >= 500 || res.status === 429) return false;
    if (res.status === 401 || res.status === 403) throw this.failure(url, res);
    throw new NetError(
      url,
      `the registry did not take the blob (HTTP ${res.status}; a digest mismatch?)`,
      'run the release again',
      res.status,
    );
  }

  /** Pushes a manifest under a tag; returns the digest the registry gave it. */
  async putManifest(reference: string, bytes: Buffer): Promise<string | null> {
    const url = this.url(`/v2/${this.ref.repository}/manifests/${reference}`);
    const res = await this.retried(url, () =>
      this.send('PUT', url, { 'content-type': MANIFEST_MEDIA_TYPE }, bytes),
    );
    const text = await res.body.text().catch(() => '');
    if (res.status !== 201 && res.status !== 200) {
      const why = text.slice(0, 200).replace(/\s+/g, ' ');
      if (res.status === 401 || res.status === 403) throw this.failure(url, res);
      throw new NetError(
        url,
        `HTTP ${res.status} for the manifest (${why})`,
        "check the registry's logs",
      );
    }
    return res.headers['docker-content-digest'] ?? null;
  }

  /** The manifest bytes under a tag or digest, or null when there is none. */
  async getManifest(reference: string): Promise<Buffer | null> {
    const url = this.url(`/v2/${this.ref.repository}/manifests/${reference}`);
    const res = await this.retried(url, () =>
      this.send('GET', url, { accept: MANIFEST_MEDIA_TYPE }),
    );
    if (res.status === 404) {
      await res.body.dump().catch(() => undefined);
      return null;
    }
    if (res.status !== 200) {
      await res.body.dump().catch(() => undefined);
      throw this.failure(url, res);
    }
    return Buffer.from(await res.body.arrayBuffer());
  }

  /**
   * A blob's body, following the registry's redirect to its storage without
   * the credentials. `from` asks for the rest of a partly fetched blob.
   */
  async openBlob(digest: string, from = 0): Promise<Response> {
    let url = this.blobUrl(digest);
    const range: Record<string, string> = from > 0 ? { range: `bytes=${from}-` } : {};
    for (let hops = 0; hops < 5; hops++) {
      const res = await this.retried(url, () => this.send('GET', url, range));
      const location = res.headers.location;
      if (res.status >= 300 && res.status < 400 && location) {
        await res.body.dump().catch(() => undefined);
        url = new URL(location, url).toString();
        continue;
      }
      if (res.status !== 200 && res.status !== 206) {
        await res.body.dump().catch(() => undefined);
        throw this.failure(url, res);
      }
      return res;
    }
    throw new NetError(redactUrl(url), 'too many redirects', "tell the registry's owner");
  }
}

function bodyRange(
  source: UploadSource,
  start: number,
  end: number,
): Dispatcher.DispatchOptions['body'] {
  if ('data' in source) return Buffer.from(source.data).subarray(start, end + 1);
  const base = source.start ?? 0;
  return fileRequestBody(source.path, base + start, base + end);
}
