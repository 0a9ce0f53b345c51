// A small GitHub Releases client on Node's fetch (REST API 2022-11-28): get or
// create a release, list, upload, delete and download assets. Idempotent
// calls are retried on 5xx, 429 and network errors; uploads are retried by
// the caller, which must first clean up a half-uploaded asset. The token is
// sent only in the Authorization header and never appears in an error.
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';

export interface GitHubOptions {
  token: string;
  /** REST API root; GitHub Actions sets GITHUB_API_URL, tests point at 127.0.0.1. */
  apiUrl?: string;
  retries?: number;
  retryDelayMs?: number;
  userAgent?: string;
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

export class GitHubError extends Error {
  constructor(
    readonly status: number | null,
    message: string,
  ) {
    super(message);
    this.name = 'GitHubError';
  }

  /** Worth retrying: a network failure, a 5xx, or rate limiting. */
  get transient(): boolean {
    return this.status === null || this.status >= 500 || this.status === 429;
  }
}

const REPO_PART = /^[A-Za-z0-9_.-]+$/;

export function parseRepo(spec: string): { owner: string; repo: string } {
  const [owner, repo, ...rest] = spec.split('/');
  if (!owner || !repo || rest.length > 0 || !REPO_PART.test(owner) || !REPO_PART.test(repo)) {
    throw new Error(`'${spec}' is not OWNER/REPO`);
  }
  return { owner, repo };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export class GitHubReleases {
  private readonly api: string;
  private readonly retries: number;
  private readonly delay: number;

  constructor(
    readonly owner: string,
    readonly repo: string,
    private readonly options: GitHubOptions,
  ) {
    this.api = (options.apiUrl ?? 'https://api.github.com').replace(/\/+$/, '');
    this.retries = options.retries ?? 4;
    this.delay = options.retryDelayMs ?? 1000;
  }

  private headers(extra: Record<string, string> = {}): Record<string, string> {
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

  /** One HTTP exchange; any failure becomes a GitHubError without the token. */
  private async exchange(method: string, url: string, init: RequestInit = {}): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(url, {
        ...init,
        method,
        headers: this.headers(init.headers as Record<string, string>),
      });
    } catch (error) {
      const cause =
        (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
      throw new GitHubError(null, `${method} ${new URL(url).pathname}: network error (${cause})`);
    }
    if (response.ok) return response;
    const body = await response.text().catch(() => '');
    let message = body.slice(0, 300);
    try {
      const parsed = JSON.parse(body) as { message?: string; errors?: { code?: string }[] };
      message = [parsed.message, ...(parsed.errors ?? []).map((e) => e.code)]
        .filter(Boolean)
        .join(': ');
    } catch {
      /* not JSON (a proxy's 502 page) */
    }
    throw new GitHubError(
      response.status,
      `${method} ${new URL(url).pathname}: HTTP ${response.status} ${message}`.trim(),
    );
  }

  /** An idempotent request, retried with exponential back-off on transient failures. */
  private async request(method: string, url: string, init: RequestInit = {}): Promise<Response> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.exchange(method, url, init);
      } catch (error) {
        if (!(error instanceof GitHubError) || !error.transient || attempt >= this.retries)
          throw error;
        await sleep(this.delay * 2 ** attempt);
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

  /** Not retried here: a lost response may still have created it (the caller re-reads by tag). */
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

  async updateRelease(id: number, fields: { name?: string; body?: string }): Promise<Release> {
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

  /** Uploads a file as a release asset, streaming it; one attempt (see the file comment). */
  async uploadAsset(
    release: Release,
    name: string,
    path: string,
    size: number,
    contentType: string,
  ): Promise<Asset> {
    const base = release.upload_url.replace(/\{.*\}$/, '');
    const url = `${base}?name=${encodeURIComponent(name)}`;
    const res = await this.exchange('POST', url, {
      body: Readable.toWeb(createReadStream(path)) as ReadableStream,
      headers: { 'content-type': contentType, 'content-length': String(size) },
      duplex: 'half',
    } as RequestInit);
    return (await res.json()) as Asset;
  }

  /** The bytes of an asset (GitHub answers with a redirect to storage, which fetch follows). */
  async downloadAsset(assetId: number): Promise<AsyncIterable<Uint8Array>> {
    const res = await this.request('GET', this.repoUrl(`/releases/assets/${assetId}`), {
      headers: { accept: 'application/octet-stream' },
    });
    if (!res.body) throw new GitHubError(res.status, `asset ${assetId}: empty response`);
    return res.body as unknown as AsyncIterable<Uint8Array>;
  }
}
