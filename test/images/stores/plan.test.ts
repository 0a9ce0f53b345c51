// The pure parts of company-storage releases: the --to syntax, where
// credentials come from, the OCI reference and challenge grammar, and what an
// HTTP store release decides from what the store holds.
import { describe, expect, it } from 'vitest';
import { parseTarget, pickTarget } from '../../../src/images/stores/target.js';
import {
  dockerConfigAuth,
  httpStoreAuth,
  netrcLookup,
  ociAuth,
} from '../../../src/images/stores/credentials.js';
import {
  buildManifest,
  parseChallenge,
  parseOciReference,
  registryOrigin,
  tokenUrl,
} from '../../../src/images/stores/oci-layout.js';
import {
  heldState,
  moveLatest,
  planFile,
  readLatest,
  uploadOrder,
} from '../../../src/images/stores/http-plan.js';

describe('--to target syntax', () => {
  it('reads each kind, and --github/--dir are the same targets', () => {
    expect(parseTarget('github:acme/images')).toEqual({ kind: 'github', repo: 'acme/images' });
    expect(parseTarget('dir:./out')).toEqual({ kind: 'dir', path: './out' });
    expect(parseTarget('https://store.example/generic/images')).toEqual({
      kind: 'http',
      base: 'https://store.example/generic/images/',
    });
    expect(parseTarget('oci://ghcr.io/acme/images')).toEqual({
      kind: 'oci',
      ref: { registry: 'ghcr.io', repository: 'acme/images', tag: null, digest: null },
    });
    expect(pickTarget(undefined, 'acme/images')).toEqual({ kind: 'github', repo: 'acme/images' });
    expect(pickTarget(undefined, undefined, 'out')).toEqual({ kind: 'dir', path: 'out' });
  });

  it('refuses credentials in a URL, a tag on the OCI repository, two targets, and unknown forms', () => {
    expect(() => parseTarget('https://bot:secret@store.example/x/')).toThrow(
      /put no credentials in the URL/,
    );
    expect(() => parseTarget('oci://ghcr.io/acme/images:v1')).toThrow(/the tag is the release tag/);
    expect(() => parseTarget('oci://ghcr.io/Acme/images')).toThrow(/not a repository name/);
    expect(() => parseTarget('s3://bucket/x')).toThrow(/is not a target/);
    expect(() => parseTarget('https://store.example/a/../b/')).toThrow(/'\.\.' segment/);
    expect(() => pickTarget('dir:x', 'a/b')).toThrow(/exactly one target/);
  });
});

describe('credentials', () => {
  it('HTTP stores: a token first, then user and password, then the netrc machine, then none', () => {
    const netrc = {
      text: 'machine other login a password b\nmachine store.example\n login bot\n password pw\n',
      path: '~/.netrc',
    };
    expect(httpStoreAuth({ CROSSFLAKE_STORE_TOKEN: 't0k' }, 'store.example', netrc)).toMatchObject({
      kind: 'bearer',
      token: 't0k',
    });
    expect(
      httpStoreAuth(
        { CROSSFLAKE_STORE_USER: 'u', CROSSFLAKE_STORE_PASSWORD: 'p' },
        'store.example',
        netrc,
      ),
    ).toMatchObject({ kind: 'basic', user: 'u', password: 'p' });
    expect(httpStoreAuth({}, 'store.example', netrc)).toMatchObject({
      kind: 'basic',
      user: 'bot',
      password: 'pw',
    });
    expect(httpStoreAuth({}, 'elsewhere.example', netrc)).toEqual({ kind: 'none' });
    expect(() => httpStoreAuth({ CROSSFLAKE_STORE_USER: 'u' }, 'h', null)).toThrow(/set both/);
  });

  it('netrc: default applies when no machine matches; comments are ignored', () => {
    expect(netrcLookup('# c\ndefault login anon password x', 'h')).toEqual({
      user: 'anon',
      password: 'x',
    });
    expect(netrcLookup('machine h login only', 'h')).toBeNull();
  });

  it('Docker config: auths by registry (with or without scheme), base64 user:password', () => {
    const auth = Buffer.from('me:pa:ss').toString('base64');
    const text = JSON.stringify({
      auths: { 'https://ghcr.io': { auth }, 'r.example:5000': { username: 'u', password: 'p' } },
    });
    expect(dockerConfigAuth(text, 'ghcr.io')).toEqual({ user: 'me', password: 'pa:ss' });
    expect(dockerConfigAuth(text, 'r.example:5000')).toEqual({ user: 'u', password: 'p' });
    expect(dockerConfigAuth(text, 'other.io')).toBeNull();
    expect(
      ociAuth({ CROSSFLAKE_OCI_USER: 'x', CROSSFLAKE_OCI_PASSWORD: 'y' }, 'ghcr.io', {
        text,
        path: 'c',
      }),
    ).toMatchObject({ user: 'x' });
  });
});

describe('OCI grammar', () => {
  it('references with a tag or a digest; plain http only on loopback', () => {
    expect(parseOciReference('127.0.0.1:5000/team/img:2026.11', 'x')).toMatchObject({
      registry: '127.0.0.1:5000',
      repository: 'team/img',
      tag: '2026.11',
    });
    const digest = `sha256:${'a'.repeat(64)}`;
    expect(parseOciReference(`ghcr.io/a/b@${digest}`, 'x').digest).toBe(digest);
    expect(() => parseOciReference('ghcr.io/a/b:bad+tag', 'x')).toThrow(/not a valid tag/);
    expect(registryOrigin('127.0.0.1:5000')).toBe('http://127.0.0.1:5000');
    expect(registryOrigin('ghcr.io')).toBe('https://ghcr.io');
  });

  it('a Bearer challenge gives the token URL with service and scope', () => {
    const c = parseChallenge(
      'Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull"',
    );
    expect(c?.scheme).toBe('bearer');
    expect(tokenUrl(c!, 'repository:a/b:pull,push')).toBe(
      'https://auth.example/token?service=registry.example&scope=repository%3Aa%2Fb%3Apull%2Cpush',
    );
    expect(parseChallenge('Basic realm="registry"')?.scheme).toBe('basic');
    expect(parseChallenge('Negotiate')).toBeNull();
  });

  it('the artifact manifest: empty config, one titled layer per file', () => {
    const m = buildManifest([{ name: 'a.wsl', size: 3, sha256: 'f'.repeat(64) }], {});
    expect(m.config.digest).toBe(
      'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
    );
    expect(m.layers[0]).toEqual({
      mediaType: 'application/vnd.crossflake.image.wsl',
      digest: `sha256:${'f'.repeat(64)}`,
      size: 3,
      annotations: { 'org.opencontainers.image.title': 'a.wsl' },
    });
  });
});

describe('HTTP store plan', () => {
  it('SHA256SUMS and manifest.json go last', () => {
    const names = ['manifest.json', 'a.wsl', 'SHA256SUMS', 'RELEASE-NOTES.md'].map((name) => ({
      name,
    }));
    expect(uploadOrder(names).map((f) => f.name)).toEqual([
      'a.wsl',
      'RELEASE-NOTES.md',
      'SHA256SUMS',
      'manifest.json',
    ]);
  });

  it('what the store holds: its checksum header, else size plus its SHA256SUMS, else read it back', () => {
    const want = { size: 3, sha256: 'a'.repeat(64) };
    expect(heldState(want, null, null, 'f')).toEqual({ state: 'absent' });
    expect(heldState(want, { size: 3, sha256: 'b'.repeat(64) }, null, 'f')).toEqual({
      state: 'known',
      sha256: 'b'.repeat(64),
    });
    expect(
      heldState(want, { size: 3, sha256: null }, new Map([['f', 'a'.repeat(64)]]), 'f'),
    ).toEqual({ state: 'known', sha256: 'a'.repeat(64) });
    expect(heldState(want, { size: 3, sha256: null }, null, 'f')).toEqual({ state: 'unknown' });
    expect(heldState(want, { size: 9, sha256: null }, null, 'f').state).toBe('known');
  });

  it('a difference in a finished release is a conflict; in an unfinished one, a leftover replaced', () => {
    expect(planFile('a', 'b', true, false)).toBe('conflict');
    expect(planFile('a', 'b', false, false)).toBe('replaced');
    expect(planFile('a', 'a', true, false)).toBe('unchanged');
    expect(planFile('a', null, true, false)).toBe('send');
  });

  it('latest moves forward only', () => {
    const current = readLatest(
      JSON.stringify({
        schema: 'crossflake.images.latest/1',
        tag: 'v2026.12',
        version: '2026.12',
        path: '../v2026.12/',
      }),
    );
    expect(moveLatest(current, '2026.11')).toBe(false);
    expect(moveLatest(current, '2027.01')).toBe(true);
    expect(moveLatest(readLatest('not json'), '2026.11')).toBe(true);
  });
});
