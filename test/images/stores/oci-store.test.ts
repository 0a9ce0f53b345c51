// images release --to oci://... against Debian's real docker-registry (CNCF
// distribution 2.8) with htpasswd auth on 127.0.0.1, and images fetch
// reading the artifact manifest back.
import { beforeEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cli } from '../helpers.js';
import {
  PASSWORD,
  USER,
  registryMissing,
  startCutProxy,
  startRegistry,
  type Served,
} from './servers.js';
import { expectFetchedBack, onboardDryRun, storeFiles, useServer } from './fixture.js';

const missing = registryMissing();
const { big, files: FILES } = storeFiles(3);
const basic = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
const state = useServer(missing, startRegistry, FILES);
let dir: string;
let repo: string;
let server: Served;
beforeEach(() => {
  if (missing) return;
  dir = state.dir;
  server = state.server!;
  repo = `team${state.n}/images`;
});

const env = (extra: NodeJS.ProcessEnv = {}) => ({
  DOCKER_CONFIG: join(dir, 'docker'),
  CROSSFLAKE_OCI_USER: USER,
  CROSSFLAKE_OCI_PASSWORD: PASSWORD,
  ...extra,
});
const target = (port = server.port) => `oci://127.0.0.1:${port}/${repo}`;
const release = (to: string, extra: NodeJS.ProcessEnv = {}, ...more: string[]) =>
  cli(['images', 'release', '--tag', 'v2026.11', '--to', to, ...more], dir, env(extra));
/** Requests that change the registry (uploads, manifests), from its access log. */
const writes = async () =>
  (await server.log())
    .split('\n')
    .filter((l) => new RegExp(`"(POST|PATCH|PUT) /v2/${repo}/`).test(l));

describe.skipIf(missing)(
  `release to an OCI registry (docker-registry)${missing ? ` (skipped: ${missing})` : ''}`,
  () => {
    it('pushes one ORAS-style artifact manifest; fetch reads it back byte for byte by tag and by latest', async () => {
      const res = await release(target());
      expect(res.code, res.stderr).toBe(0);
      const got = await fetch(`http://127.0.0.1:${server.port}/v2/${repo}/manifests/v2026.11`, {
        headers: { authorization: basic, accept: 'application/vnd.oci.image.manifest.v1+json' },
      });
      expect(got.status).toBe(200);
      const manifest = (await got.json()) as {
        artifactType: string;
        config: { mediaType: string; size: number };
        layers: { mediaType: string; digest: string; annotations: Record<string, string> }[];
      };
      expect(manifest.artifactType).toBe('application/vnd.crossflake.images.release.v1+json');
      expect(manifest.config).toMatchObject({
        mediaType: 'application/vnd.oci.empty.v1+json',
        size: 2,
      });
      expect(manifest.layers.map((l) => l.annotations['org.opencontainers.image.title'])).toEqual([
        ...FILES.map((f) => f.file),
        'RELEASE-NOTES.md',
        'SHA256SUMS',
        'manifest.json',
      ]);
      expect(manifest.layers[1]).toMatchObject({
        mediaType: 'application/vnd.crossflake.image.qcow2',
        digest: `sha256:${createHash('sha256').update(big).digest('hex')}`,
      });
      for (const ref of [`${target()}:v2026.11`, `${target()}:latest`])
        await expectFetchedBack(ref, dir, env(), FILES[1]!.file, big);
    });

    it('onboard wsl with no --image takes the latest release from images.store of the team config', async () => {
      expect((await release(target())).code).toBe(0);
      await writeFile(
        join(dir, 'crossflake.json'),
        JSON.stringify({ images: { store: target() } }),
      );
      const plan = await onboardDryRun(dir, env());
      expect(plan.code, plan.stderr).toBe(0);
      expect(plan.stdout).toContain(`${target()}:latest`);
      expect(plan.stdout).toContain(FILES[0]!.file);
    });

    it('a second release of the same version uploads nothing', async () => {
      expect((await release(target())).code).toBe(0);
      const before = (await writes()).length;
      expect(before).toBeGreaterThan(0);
      const again = await release(target(), {}, '--json');
      expect(again.code, again.stderr).toBe(0);
      expect((await writes()).length).toBe(before);
      const report = JSON.parse(again.stdout) as { files: { action: string }[] };
      expect(report.files.map((f) => f.action)).toEqual(Array(6).fill('unchanged'));
    });

    it('wrong credentials: one line, exit 1, nothing uploaded', async () => {
      const res = await release(target(), { CROSSFLAKE_OCI_PASSWORD: 'not-the-password' });
      expect(res.code).toBe(1);
      expect(res.stderr.trim().split('\n')).toHaveLength(1);
      expect(res.stderr).toContain(
        'the registry refused the credentials; check CROSSFLAKE_OCI_USER',
      );
      expect(res.stderr).not.toContain('not-the-password');
      expect(await writes()).toEqual([]);
    });

    it('credentials from the Docker config (auths, base64 user:password)', async () => {
      await import('node:fs/promises').then((fs) => fs.mkdir(join(dir, 'docker')));
      const auth = Buffer.from(`${USER}:${PASSWORD}`).toString('base64');
      await writeFile(
        join(dir, 'docker', 'config.json'),
        JSON.stringify({ auths: { [`127.0.0.1:${server.port}`]: { auth } } }),
      );
      const res = await release(target(), { CROSSFLAKE_OCI_USER: '' });
      expect(res.code, res.stderr).toBe(0);
    });

    it('a blob that fits in one chunk goes up in one PUT (no PATCH); torn, it is sent again in chunks', async () => {
      expect((await release(target())).code).toBe(0);
      const log = await writes();
      expect(log.filter((l) => l.includes('"PATCH '))).toEqual([]);
      // Six blobs (the empty config, two images, notes, SHA256SUMS, manifest.json), one PUT each.
      expect(log.filter((l) => /"PUT \/v2\/[^"]*\/blobs\/uploads\//.test(l))).toHaveLength(6);
      await expectFetchedBack(`${target()}:v2026.11`, dir, env(), FILES[1]!.file, big);

      repo = `${repo}-torn`;
      const proxy = await startCutProxy(server.port);
      try {
        proxy.cutAfter(1024 * 1024, false);
        const res = await release(target(proxy.port));
        expect(res.code, res.stderr).toBe(0);
        expect(res.stderr).toContain('in one piece failed; sending it in chunks');
        await expectFetchedBack(`${target()}:v2026.11`, dir, env(), FILES[1]!.file, big);
      } finally {
        await proxy.stop();
      }
    });

    it('a chunk torn half-way (the registry forgets the upload): the blob starts again and the release finishes', async () => {
      const proxy = await startCutProxy(server.port);
      try {
        proxy.cutAfter(1536 * 1024, false);
        const res = await release(target(proxy.port), { CROSSFLAKE_OCI_CHUNK: String(256 * 1024) });
        expect(res.code, res.stderr).toBe(0);
        expect(res.stderr).toContain('starting it again');
        await expectFetchedBack(`${target()}:v2026.11`, dir, env(), FILES[1]!.file, big);
      } finally {
        await proxy.stop();
      }
    });

    it('a killed upload resumes from what the registry holds, not from the start', async () => {
      const proxy = await startCutProxy(server.port);
      try {
        const chunk = { CROSSFLAKE_OCI_CHUNK: String(256 * 1024) };
        // Dropped as the next chunk starts: the registry holds whole chunks only
        // (distribution 2.8 cannot resume a torn one; that case starts the blob again).
        proxy.cutAfter(1536 * 1024, true, 'PATCH ');
        const cut = await release(target(proxy.port), { ...chunk, CROSSFLAKE_RETRIES: '0' });
        expect(cut.code).toBe(1);
        const state = JSON.parse(
          await readFile(join(dir, 'dist', '2026.11', '.crossflake-oci-uploads.json'), 'utf8'),
        ) as Record<string, Record<string, unknown>>;
        expect(Object.keys(Object.values(state)[0]!)).toHaveLength(1);
        proxy.heal();
        const before = proxy.sent();
        const resumed = await release(target(proxy.port), chunk, '--json');
        expect(resumed.code, resumed.stderr).toBe(0);
        const report = JSON.parse(resumed.stdout) as { files: { name: string; note?: string }[] };
        expect(report.files.find((f) => f.name === FILES[1]!.file)?.note).toMatch(
          /^resumed at byte [1-9]/,
        );
        // The second run sent less than the big file: the first part was not sent again.
        expect(proxy.sent() - before).toBeLessThan(big.length);
        const out = join(dir, 'back');
        const fetched = await cli(
          ['images', 'fetch', `${target()}:v2026.11`, '--image', 'demo-qcow2', '--to', out],
          dir,
          env(),
        );
        expect(fetched.code, fetched.stderr).toBe(0);
        expect((await readFile(join(out, FILES[1]!.file))).equals(big)).toBe(true);
      } finally {
        await proxy.stop();
      }
    });
  },
);
