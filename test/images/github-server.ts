// A local stand-in for api.github.com and uploads.github.com on 127.0.0.1,
// answering release and asset calls with the recorded response shapes in
// test/fixtures/images/github/. Like GitHub, the by-tag lookup does not see
// drafts (the release list does). Faults can be injected: a 502 in the middle
// of an upload (leaving a half-uploaded asset behind, as GitHub does), a
// secondary rate limit (403 with retry-after), an error body that echoes the
// Authorization header, and an upload_url naming another host.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const dir = new URL('../fixtures/images/github/', import.meta.url);
const load = (name: string) =>
  JSON.parse(readFileSync(new URL(name, dir), 'utf8')) as Record<string, unknown>;
const releaseShape = load('release.json');
const assetShape = load('asset.json');
const errors = load('errors.json') as Record<string, unknown>;

type Json = Record<string, unknown>;

interface StoredAsset {
  json: Json;
  data: Buffer;
  releaseId: number;
}

export interface FakeGitHub {
  url: string;
  /** "METHOD /path" of every request, in order. */
  log: string[];
  releases: Map<number, Json>;
  assets: Map<number, StoredAsset>;
  /** Asset names whose next upload fails with a 502 after half the body. */
  failUploadOnce: Set<string>;
  /** Authorization headers seen (to check the token is sent, and only there). */
  authHeaders: Set<string>;
  /** "METHOD /path-prefix" -> seconds: the next matching request gets a secondary rate limit. */
  rateLimitOnce: Map<string, number>;
  /** "METHOD /path-prefix" -> status: the next matching request fails with it (5xx, 429). */
  statusOnce: Map<string, number>;
  /** "METHOD /path-prefix" whose next request fails with a 400 echoing the Authorization header. */
  echoAuthOnce: Set<string>;
  /** When set, new releases name this upload root in upload_url (a foreign host). */
  uploadRoot: string | null;
  /** Where asset downloads redirect (default: this server's /storage; another origin to test). */
  storageRoot: string | null;
  close(): Promise<void>;
}

function fill(shape: Json, vars: Record<string, string>): Json {
  const text = JSON.stringify(shape).replace(
    /\{(api|uploads|owner|repo|id|tag|name)\}/g,
    (_, k: string) => vars[k] ?? '',
  );
  return JSON.parse(text) as Json;
}

export async function startFakeGitHub(token: string): Promise<FakeGitHub> {
  let nextId = 1000;
  const state: Omit<FakeGitHub, 'url' | 'close'> = {
    log: [],
    releases: new Map(),
    assets: new Map(),
    failUploadOnce: new Set(),
    authHeaders: new Set(),
    rateLimitOnce: new Map(),
    statusOnce: new Map(),
    echoAuthOnce: new Set(),
    uploadRoot: null,
    storageRoot: null,
  };
  const takeFault = <T>(faults: Map<string, T> | Set<string>, key: string): boolean | T => {
    for (const k of faults.keys()) {
      const [method, prefix = ''] = k.split(' ');
      if (!key.startsWith(`${method} `) || !key.slice(method!.length + 1).startsWith(prefix))
        continue;
      const value = faults instanceof Map ? faults.get(k) : true;
      faults.delete(k);
      return value as T | boolean;
    }
    return false;
  };
  let base = '';

  const send = (res: http.ServerResponse, status: number, body?: unknown) => {
    if (body === undefined) {
      res.writeHead(status).end();
      return;
    }
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  };
  const assetsOf = (releaseId: number) =>
    [...state.assets.values()].filter((a) => a.releaseId === releaseId).map((a) => a.json);

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', base);
    state.log.push(`${req.method} ${url.pathname}`);
    const stored = /^\/storage\/(\d+)$/.exec(url.pathname);
    if (stored) {
      // The storage host behind an asset download redirect (no API token needed).
      const asset = state.assets.get(Number(stored[1]));
      res.writeHead(asset ? 200 : 404, { 'content-type': 'application/octet-stream' });
      res.end(asset?.data ?? '');
      return;
    }
    const download = /^\/([^/]+)\/([^/]+)\/releases\/download\/([^/]+)\/([^/]+)$/.exec(
      url.pathname,
    );
    if (req.method === 'GET' && download) {
      // A published release's browser_download_url: no token, a redirect to storage.
      const [, , , tag, name] = download.map((s) => decodeURIComponent(s));
      const release = [...state.releases.values()].find((r) => r.tag_name === tag && !r.draft);
      const asset = [...state.assets].find(
        ([, a]) => a.releaseId === Number(release?.id) && a.json.name === name,
      );
      if (!asset) return send(res, 404, errors.notFound);
      res
        .writeHead(302, { location: `${state.storageRoot ?? `${base}/storage`}/${asset[0]}` })
        .end();
      return;
    }
    state.authHeaders.add(String(req.headers.authorization));
    if (req.headers.authorization !== `Bearer ${token}`)
      return send(res, 401, errors.badCredentials);
    const key = `${req.method} ${url.pathname}`;
    const wait = takeFault(state.rateLimitOnce, key);
    if (wait !== false) {
      // GitHub's secondary rate limit: 403, a retry-after header and this message.
      req.resume();
      res.writeHead(403, { 'content-type': 'application/json', 'retry-after': String(wait) });
      res.end(JSON.stringify(errors.secondaryRateLimit));
      return;
    }
    const status = takeFault(state.statusOnce, key);
    if (typeof status === 'number') {
      req.resume();
      res.writeHead(status, { 'content-type': 'text/html' });
      res.end(String(errors.badGateway));
      return;
    }
    if (takeFault(state.echoAuthOnce, key) !== false) {
      // A misbehaving proxy or server that puts the request's headers in its error.
      req.resume();
      return send(res, 400, {
        message: `Problems parsing request; headers were: Authorization: ${req.headers.authorization}`,
      });
    }
    const parts = url.pathname.split('/').filter(Boolean);
    const [owner, repo] = [parts[1] ?? '', parts[2] ?? ''];
    const vars = { api: base, uploads: state.uploadRoot ?? `${base}/uploads`, owner, repo };

    // POST /uploads/repos/o/r/releases/:id/assets?name=
    if (req.method === 'POST' && parts[0] === 'uploads') {
      const releaseId = Number(parts[5]);
      const name = url.searchParams.get('name') ?? '';
      const release = state.releases.get(releaseId);
      if (!release) return send(res, 404, errors.notFound);
      if (assetsOf(releaseId).some((a) => a.name === name))
        return send(res, 422, errors.assetExists);
      const expected = Number(req.headers['content-length']);
      const id = nextId++;
      const chunks: Buffer[] = [];
      let received = 0;
      let failed = false;
      req.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        received += chunk.length;
        if (!failed && state.failUploadOnce.has(name) && received >= expected / 2) {
          failed = true;
          state.failUploadOnce.delete(name);
          const json = fill(assetShape, {
            ...vars,
            id: String(id),
            name,
            tag: String(release.tag_name),
          });
          Object.assign(json, { id, state: 'starter', size: 0 });
          state.assets.set(id, { json, data: Buffer.alloc(0), releaseId });
          res.writeHead(502, { 'content-type': 'text/html', connection: 'close' });
          res.end(String(errors.badGateway));
          req.destroy();
        }
      });
      req.on('end', () => {
        if (failed) return;
        const data = Buffer.concat(chunks);
        if (data.length !== expected) return send(res, 400, { message: 'Bad Content-Length' });
        const json = fill(assetShape, {
          ...vars,
          id: String(id),
          name,
          tag: String(release.tag_name),
        });
        Object.assign(json, {
          id,
          size: data.length,
          content_type: req.headers['content-type'],
          digest: `sha256:${createHash('sha256').update(data).digest('hex')}`,
        });
        state.assets.set(id, { json, data, releaseId });
        send(res, 201, json);
      });
      return;
    }

    const rest = parts.slice(3).join('/');
    if (req.method === 'GET' && rest.startsWith('releases/tags/')) {
      const tag = decodeURIComponent(parts.slice(5).join('/'));
      const release = [...state.releases.values()].find((r) => r.tag_name === tag && !r.draft);
      return release
        ? send(res, 200, { ...release, assets: assetsOf(Number(release.id)) })
        : send(res, 404, errors.notFound);
    }
    if (req.method === 'POST' && rest === 'releases') {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        const fields = JSON.parse(body) as Json;
        if ([...state.releases.values()].some((r) => r.tag_name === fields.tag_name)) {
          return send(res, 422, errors.releaseExists);
        }
        const id = nextId++;
        const release = {
          ...fill(releaseShape, { ...vars, id: String(id), tag: String(fields.tag_name) }),
          ...fields,
          id,
        };
        state.releases.set(id, release);
        send(res, 201, release);
      });
      return;
    }
    if (req.method === 'GET' && rest === 'releases') {
      const all = [...state.releases.values()].sort((a, b) => Number(b.id) - Number(a.id));
      const perPage = Number(url.searchParams.get('per_page') ?? 30);
      const page = Number(url.searchParams.get('page') ?? 1);
      return send(res, 200, all.slice((page - 1) * perPage, page * perPage));
    }
    const releaseMatch = /^releases\/(\d+)$/.exec(rest);
    if (req.method === 'PATCH' && releaseMatch) {
      const release = state.releases.get(Number(releaseMatch[1]));
      if (!release) return send(res, 404, errors.notFound);
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        Object.assign(release, JSON.parse(body) as Json);
        send(res, 200, release);
      });
      return;
    }
    const listMatch = /^releases\/(\d+)\/assets$/.exec(rest);
    if (req.method === 'GET' && listMatch) {
      const all = assetsOf(Number(listMatch[1]));
      const perPage = Number(url.searchParams.get('per_page') ?? 30);
      const page = Number(url.searchParams.get('page') ?? 1);
      return send(res, 200, all.slice((page - 1) * perPage, page * perPage));
    }
    const assetMatch = /^releases\/assets\/(\d+)$/.exec(rest);
    if (assetMatch) {
      const asset = state.assets.get(Number(assetMatch[1]));
      if (!asset) return send(res, 404, errors.notFound);
      if (req.method === 'DELETE') {
        state.assets.delete(Number(assetMatch[1]));
        return send(res, 204);
      }
      if (req.method === 'GET') {
        // Like GitHub: a redirect to the storage host; the client must follow it.
        res
          .writeHead(302, {
            location: `${state.storageRoot ?? `${base}/storage`}/${assetMatch[1]}`,
          })
          .end();
        return;
      }
    }
    return send(res, 404, errors.notFound);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const fake = state as FakeGitHub;
  fake.url = base;
  fake.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return fake;
}
