// Downloads through a real forward proxy on 127.0.0.1 (recording what it
// forwards), chosen from HTTP(S)_PROXY / NO_PROXY in either case, and past a
// TLS server whose certificate comes from a company CA made with openssl.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { download } from '../../../src/io/net/download.js';
import { netConfig, netFetch } from '../../../src/io/net/client.js';
import { DEFAULT_RETRY } from '../../../src/io/net/retry.js';
import { serveRelease, type ReleaseServer } from '../../helpers/release-server.js';
import { startForwardProxy, type ForwardProxy } from '../../helpers/forward-proxy.js';
import { makeTestCa, type TestCa } from '../../helpers/test-ca.js';
import { cli } from '../../images/helpers.js';

const body = randomBytes(1024 * 1024 + 3);
const sha = createHash('sha256').update(body).digest('hex');
let root: string;
let out: string;
let plain: ReleaseServer;
let tlsServer: ReleaseServer;
let proxy: ForwardProxy;
let ca: TestCa;

const once = (env: NodeJS.ProcessEnv) =>
  netConfig(env, { retry: { ...DEFAULT_RETRY, retries: 0 }, sleep: async () => undefined });

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'cf-proxy-src-'));
  writeFileSync(join(root, 'image.wsl'), body);
  writeFileSync(join(root, 'SHA256SUMS'), `${sha}  image.wsl\n`);
  ca = makeTestCa(mkdtempSync(join(tmpdir(), 'cf-test-ca-')));
  plain = await serveRelease(root);
  tlsServer = await serveRelease(root, { key: ca.key, cert: ca.cert });
  proxy = await startForwardProxy();
});
afterAll(async () => {
  await Promise.all([plain.close(), tlsServer.close(), proxy.close()]);
  rmSync(root, { recursive: true, force: true });
  rmSync(join(ca.caFile, '..'), { recursive: true, force: true });
});
beforeEach(() => {
  out = mkdtempSync(join(tmpdir(), 'cf-proxy-out-'));
  proxy.requests.length = 0;
  return () => rmSync(out, { recursive: true, force: true });
});

const portOf = (url: string) => new URL(url).port;

describe('downloads through a forward proxy on 127.0.0.1', () => {
  it('sends http:// through HTTP_PROXY as an absolute-URI request', async () => {
    const url = `${plain.url}image.wsl`;
    const got = await download(url, join(out, 'image.wsl'), {
      expectedSha256: sha,
      net: once({ HTTP_PROXY: proxy.url }),
    });
    expect(got.sha256).toBe(sha);
    expect(proxy.requests).toEqual([{ method: 'GET', target: url }]);
  });

  it('tunnels https:// through https_proxy (lower case) with CONNECT, trusting the CA', async () => {
    const got = await download(`${tlsServer.url}image.wsl`, join(out, 'image.wsl'), {
      expectedSha256: sha,
      net: once({ https_proxy: proxy.url, NODE_EXTRA_CA_CERTS: ca.caFile }),
    });
    expect(got.sha256).toBe(sha);
    expect(proxy.requests).toEqual([
      { method: 'CONNECT', target: `127.0.0.1:${portOf(tlsServer.url)}` },
    ]);
  });

  it('goes direct for a NO_PROXY host:port and through the proxy for another port', async () => {
    const env = {
      HTTP_PROXY: proxy.url,
      no_proxy: `example.invalid, 127.0.0.1:${portOf(plain.url)}`,
    };
    await download(`${plain.url}image.wsl`, join(out, 'a.wsl'), { net: once(env) });
    expect(proxy.requests).toEqual([]);
    const other = await serveRelease(root);
    try {
      await download(`${other.url}image.wsl`, join(out, 'b.wsl'), { net: once(env) });
    } finally {
      await other.close();
    }
    expect(proxy.requests.map((r) => r.target)).toEqual([`${other.url}image.wsl`]);
  });

  it('netFetch (what the GitHub client is given) goes through the proxy with the CA too', async () => {
    const fetch = await netFetch(once({ HTTPS_PROXY: proxy.url, NODE_EXTRA_CA_CERTS: ca.caFile }));
    const res = await fetch(`${tlsServer.url}SHA256SUMS`, { redirect: 'manual' });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(`${sha}  image.wsl\n`);
    expect(proxy.requests).toEqual([
      { method: 'CONNECT', target: `127.0.0.1:${portOf(tlsServer.url)}` },
    ]);
  });

  it('images fetch (the CLI) goes through HTTPS_PROXY too', async () => {
    const res = await cli(
      ['images', 'fetch', `${tlsServer.url}image.wsl`, '--to', out, '--ca-file', ca.caFile],
      out,
      { HTTPS_PROXY: proxy.url },
    );
    expect(res.stderr).not.toContain('internal error');
    expect(res.code).toBe(0);
    expect(readFileSync(join(out, 'image.wsl')).equals(body)).toBe(true);
    // SHA256SUMS, manifest.json and the image: all through the tunnel.
    expect(proxy.requests.length).toBeGreaterThanOrEqual(1);
    expect(new Set(proxy.requests.map((r) => r.method))).toEqual(new Set(['CONNECT']));
  });
});

describe('a TLS server whose certificate a company CA signed (made with openssl)', () => {
  it('is refused without the CA: one line naming the URL, --ca-file and NODE_EXTRA_CA_CERTS, exit 1', async () => {
    const res = await cli(['images', 'fetch', `${tlsServer.url}image.wsl`, '--to', out], out);
    expect(res.code).toBe(1);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toContain(`${tlsServer.url}SHA256SUMS: TLS certificate not trusted`);
    expect(res.stderr).toContain('--ca-file');
    expect(res.stderr).toContain('NODE_EXTRA_CA_CERTS');
  });

  it('is accepted with --ca-file (a path relative to the working directory)', async () => {
    const res = await cli(
      ['images', 'fetch', `${tlsServer.url}image.wsl`, '--to', out, '--ca-file', 'ca.pem'],
      dirname(ca.caFile),
    );
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('matches SHA256SUMS');
  });

  it('is accepted with NODE_EXTRA_CA_CERTS in the environment', async () => {
    const res = await cli(['images', 'fetch', `${tlsServer.url}image.wsl`, '--to', out], out, {
      NODE_EXTRA_CA_CERTS: ca.caFile,
    });
    expect(res.code).toBe(0);
    expect(readFileSync(join(out, 'image.wsl')).equals(body)).toBe(true);
  });

  it('refuses a --ca-file that holds no certificate (exit 2, naming the file)', async () => {
    const bogus = join(out, 'not-a-ca.pem');
    writeFileSync(bogus, 'hello\n');
    const res = await cli(
      ['images', 'fetch', `${tlsServer.url}image.wsl`, '--to', out, '--ca-file', bogus],
      out,
    );
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(`--ca-file ${bogus} holds no PEM certificate`);
  });
});
