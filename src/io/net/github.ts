// A small GitHub Releases client (REST API 2022-11-28): find (drafts too),
// create, update and publish releases; list, upload, delete and download
// assets. Kept small instead of Octokit because it must (1) take the one HTTP
// layer of src/io/net as an injected fetch/dispatcher, (2) send the token only
// to the API's own origin and its matching upload origin, never to a host a
// response names, and (3) wait through GitHub's rate limits on an injectable
// clock; test/io/net/github.test.ts proves each case Octokit's retry and
// throttling plugins cover (5xx, 429, primary and secondary rate limits with
// retry-after / x-ratelimit-reset) on a loopback replay server.
// Idempotent calls are retried here; uploads once (the caller cleans up a
// half-uploaded asset first). No message from here ever holds the token.
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { printable } from '../../ui/printable.js';
import {
  mayCarryToken,
  rateLimitWait,
  redactTokens,
  tokenOrigins,
  type TokenOrigins,
} from './github-policy.js';

export { mayCarryToken, rateLimitWait, redactTokens, tokenOrigins, type TokenOrigins };

/** The fetch this client calls: Node's global fetch, or undici's with a dispatcher. */
export interface FetchInit {
  method: string;
  headers: Record<string, string>;
  body?: unknown;
  redirect: 'manual';
  duplex?: 'half';
  /** undici's Dispatcher (proxy, CA, retries), when the HTTP layer passes one. */
  dispatcher?: unknown;
}

export type FetchLike = (url: string, init: FetchInit) => Promise<Response>;

export interface GitHubOptions {
  token: string;
  /** REST API root; GitHub Actions sets GITHUB_API_URL, tests point at 127.0.0.1. */
  apiUrl?: string;
  retries?: number;
  retryDelayMs?: number;
  userAgent?: string;
  /** The HTTP layer (default: the global fetch). */
  fetch?: FetchLike;
  /** Passed to fetch on every request (undici's proxy/CA/retry agent). */
  dispatcher?: unknown;
  /** Waits; tests inject one that records the wait and returns at once. */
  sleep?: (ms: number) => Promise<void>;
  /** Milliseconds since the epoch (for x-ratelimit-reset). */
  now?: () => number;
  /** The longest rate-limit wait accepted before giving up (default 15 minutes). */
  maxWaitMs?: number;
  /** 0..1, for jitter; tests pass a constant. */
  random?: () => number;
  log?: (message: string) => void;
}

export interface Release {
  id: number;
  tag_name: string;
  name: string | null;
  body: string | null;
  draft: boolean;
  prerelease: boolean;
  html_url: string;
  /** e.g. https://uploads.github.com/repos/o/r/releases/1/assets{?name,label} */
  upload_url: string;
}

export interface Asset {
  id: number;
  name: string;
  size: number;
  /** "uploaded" when complete; "starter"/"open" for an upload that never finished. */
  state: string;
  /** "sha256:<hex>" on assets uploaded since mid-2025; absent or null before. */
  digest?: string | null;
  browser_download_url: string;
}

/** Where an upload's bytes come from: a whole file, a byte range of one, or memory. */
export type UploadSource = { path: string; start?: number; end?: number } | { data: Uint8Array };

export class GitHubError extends Error {
  constructor(
    readonly status: number | null,
    message: string,
    /** How long GitHub asked us to wait (rate limits), when it said. */
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
    this.name = 'GitHubError';
  }

  get rateLimited(): boolean {
    return this.retryAfterMs !== null;
  }

  /** Worth retrying: a network failure, a 5xx, rate limiting. */
  get transient(): boolean {
    return this.status === null || this.status >= 500 || this.status === 429 || this.rateLimited;
  }
}

/** crossflake refused to send a request (the token would go to a foreign host): never retried. */
export class GitHubRefusal extends GitHubError {
  constructor(message: string) {
    super(null, message);
    this.name = 'GitHubRefusal';
  }

  override get transient(): boolean {
    return false;
  }
}

const REPO_PART = /^[A-Za-z0-9_.-]+$/;

export function parseRepo(spec: string): { owner: string; repo: string } {
  const [owner, repo, ...rest] = spec.split('/');
  if (!owner || !repo || rest.length > 0 || !REPO_PART.test(owner) || !REPO_PART.test(repo)) {
    throw new Error(`'${printable(spec)}' is not OWNER/REPO`);
  }
  return { owner, repo };
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function describeBody(body: string): string {
  try {
    const parsed = JSON.parse(body) as { message?: string; errors?: { code?: string }[] };
    return [parsed.message, ...(parsed.errors ?? []).map((e) => e.code)].filter(Boolean).join(': ');
  } catch {
    // Not JSON (a proxy's 502 page): its text, without markup.
    return body
      .replace(/<[^>]*>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, 200);
  }
}

export class GitHubReleases {
  private readonly api: string;
  private readonly origins: TokenOrigins;
  private readonly retries: number;
  private readonly delay: number;
  private readonly fetch: FetchLike;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  private readonly maxWaitMs: number;
  private readonly random: () => number;

  constructor(
    readonly owner: string,
    readonly repo: string,
    private readonly options: GitHubOptions,
  ) {
    this.api = (options.apiUrl ?? 'https://api.github.com').replace(/\/+$/, '');
    this.origins = tokenOrigins(this.api);
    this.retries = options.retries ?? 4;
    this.delay = options.retryDelayMs ?? 1000;
    this.fetch = options.fetch ?? ((url, init) => fetch(url, init as unknown as RequestInit));
    this.sleep = options.sleep ?? defaultSleep;
    this.now = options.now ?? Date.now;
    this.maxWaitMs = options.maxWaitMs ?? 15 * 60_000;
    this.random = options.random ?? Math.random;
  }

  /** Any text about a request, made safe to print: no token, no control characters. */
  redact(text: string): string {
    return printable(redactTokens(text, [this.options.token]));
  }

  private headers(url: string, extra: Record<string, string> = {}): Record<string, string> {
    if (!mayCarryToken(url, this.origins)) {
      throw new GitHubRefusal(
        this.redact(
          `refusing to send the GitHub token to ${new URL(url).origin}: it is neither the API ` +
            `(${this.origins.api}) nor its upload host (${this.origins.uploads})`,
        ),
      );
    }
    return {
      accept: 'application/vnd.github+json',
      authorization: `Bearer ${this.options.token}`,
      'x-github-api-version': '2022-11-28',
      'user-agent': this.options.userAgent ?? 'crossflake',
      ...extra,
    };
  }

  private repoUrl(path: string): string {
    return `${this.api}/repos/${this.owner}/${this.repo}${path}`;
  }

  private where(method: string, url: string): string {
    return `${method} ${new URL(url).pathname}`;
  }

  /** One HTTP exchange (no redirects followed); any failure becomes a GitHubError without the token. */
  private async exchange(
    method: string,
    url: string,
    init: { body?: unknown; headers?: Record<string, string>; duplex?: 'half' } = {},
    authorized = true,
  ): Promise<Response> {
    const extra = init.headers ?? {};
    const headers = authorized ? this.headers(url, extra) : extra;
    let response: Response;
    try {
      response = await this.fetch(url, {
        body: init.body,
        ...(init.duplex ? { duplex: init.duplex } : {}),
        method,
        headers,
        redirect: 'manual',
        ...(this.options.dispatcher ? { dispatcher: this.options.dispatcher } : {}),
      });
    } catch (error) {
      const cause =
        (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
      throw new GitHubError(
        null,
        this.redact(`${this.where(method, url)}: network error (${cause})`),
      );
    }
    if (response.ok || (response.status >= 300 && response.status < 400)) return response;
    const body = await response.text().catch(() => '');
    const wait = rateLimitWait(response.status, response.headers, body, this.now());
    throw new GitHubError(
      response.status,
      this.redact(
        `${this.where(method, url)}: HTTP ${response.status} ${describeBody(body)}`.trim(),
      ),
      wait,
    );
  }

  /**
   * Waits before retry `attempt` (0-based) after `error`: what a rate limit
   * asked for, else exponential back-off with jitter. Throws when a rate
   * limit asks for longer than maxWaitMs.
   */
  async backOff(error: GitHubError, attempt: number): Promise<void> {
    let ms: number;
    if (error.retryAfterMs !== null) {
      if (error.retryAfterMs > this.maxWaitMs) {
        const at = new Date(this.now() + error.retryAfterMs).toISOString();
        throw new GitHubError(
          error.status,
          `${error.message}; GitHub asks to wait until ${at}, longer than crossflake waits: run again then`,
        );
      }
      ms = error.retryAfterMs;
      this.options.log?.(`GitHub rate limit: waiting ${Math.ceil(ms / 1000)} s as it asked`);
    } else {
      ms = this.delay * 2 ** attempt * (0.5 + this.random() / 2);
    }
    await this.sleep(ms);
  }

  /** An idempotent request, retried on transient failures. */
  private async request(
    method: string,
    url: string,
    init: { body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<Response> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.exchange(method, url, init);
      } catch (error) {
        if (!(error instanceof GitHubError) || !error.transient || attempt >= this.retries)
          throw error;
        await this.backOff(error, attempt);
      }
    }
  }

  async getReleaseByTag(tag: string): Promise<Release | null> {
    try {
      const res = await this.request(
        'GET',
        this.repoUrl(`/releases/tags/${encodeURIComponent(tag)}`),
      );
      return (await res.json()) as Release;
    } catch (error) {
      if (error instanceof GitHubError && error.status === 404) return null;
      throw error;
    }
  }

  /**
   * The release for a tag, drafts included: GitHub's by-tag lookup does not
   * see drafts, so a draft left by a killed run is found in the list.
   */
  async findRelease(tag: string): Promise<Release | null> {
    const published = await this.getReleaseByTag(tag);
    if (published) return published;
    for (let page = 1; page <= 20; page++) {
      const res = await this.request('GET', this.repoUrl(`/releases?per_page=100&page=${page}`));
      const batch = (await res.json()) as Release[];
      const found = batch.find((r) => r.tag_name === tag);
      if (found) return found;
      if (batch.length < 100) return null;
    }
    return null;
  }

  /** Not retried here: a lost response may still have created it (the caller looks again). */
  async createRelease(fields: {
    tag_name: string;
    name: string;
    body: string;
    draft?: boolean;
  }): Promise<Release> {
    const res = await this.exchange('POST', this.repoUrl('/releases'), {
      body: JSON.stringify(fields),
      headers: { 'content-type': 'application/json' },
    });
    return (await res.json()) as Release;
  }

  async updateRelease(
    id: number,
    fields: { name?: string; body?: string; draft?: boolean },
  ): Promise<Release> {
    const res = await this.request('PATCH', this.repoUrl(`/releases/${id}`), {
      body: JSON.stringify(fields),
      headers: { 'content-type': 'application/json' },
    });
    return (await res.json()) as Release;
  }

  async listAssets(releaseId: number): Promise<Asset[]> {
    const all: Asset[] = [];
    for (let page = 1; ; page++) {
      const res = await this.request(
        'GET',
        this.repoUrl(`/releases/${releaseId}/assets?per_page=100&page=${page}`),
      );
      const batch = (await res.json()) as Asset[];
      all.push(...batch);
      if (batch.length < 100) return all;
    }
  }

  async deleteAsset(assetId: number): Promise<void> {
    await this.request('DELETE', this.repoUrl(`/releases/assets/${assetId}`));
  }

  /** The upload URL for an asset name, after checking the release's upload_url may get the token. */
  uploadUrl(release: Release, name: string): string {
    const base = release.upload_url.replace(/\{.*\}$/, '');
    const url = `${base}?name=${encodeURIComponent(name)}`;
    if (!mayCarryToken(url, this.origins)) {
      throw new GitHubRefusal(
        this.redact(
          `the release's upload_url names ${new URL(url).origin}, not the upload host ` +
            `${this.origins.uploads}; refusing to send the token there`,
        ),
      );
    }
    return url;
  }

  /** Uploads one asset, streaming it; one attempt (see the file comment). */
  async uploadAsset(
    release: Release,
    name: string,
    source: UploadSource,
    size: number,
    contentType: string,
  ): Promise<Asset> {
    const url = this.uploadUrl(release, name);
    const body =
      'data' in source
        ? source.data
        : (Readable.toWeb(
            createReadStream(source.path, { start: source.start, end: source.end }),
          ) as ReadableStream);
    const res = await this.exchange('POST', url, {
      body,
      headers: { 'content-type': contentType, 'content-length': String(size) },
      duplex: 'half',
    });
    return (await res.json()) as Asset;
  }

  /**
   * The bytes of an asset. GitHub answers with a redirect to its storage
   * host; the redirect is followed here, without the token unless the
   * target is the API or upload root itself.
   */
  async downloadAsset(assetId: number): Promise<AsyncIterable<Uint8Array>> {
    let url = this.repoUrl(`/releases/assets/${assetId}`);
    let res = await this.request('GET', url, { headers: { accept: 'application/octet-stream' } });
    for (let hops = 0; res.status >= 300 && res.status < 400; hops++) {
      const location = res.headers.get('location');
      if (!location || hops >= 5)
        throw new GitHubError(res.status, `asset ${assetId}: bad or endless redirect`);
      url = new URL(location, url).toString();
      res = await this.exchange(
        'GET',
        url,
        { headers: { accept: 'application/octet-stream' } },
        mayCarryToken(url, this.origins),
      );
    }
    if (!res.body) throw new GitHubError(res.status, `asset ${assetId}: empty response`);
    return res.body as unknown as AsyncIterable<Uint8Array>;
  }
}
