// images release --to https://... against Debian's real nginx taking WebDAV
// PUT behind auth_basic on 127.0.0.1, and images fetch reading it back.
import { beforeEach, describe, expect, it } from 'vitest';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cli } from '../helpers.js';
import { PASSWORD, USER, nginxMissing, startCutProxy, startNginx, type Served } from './servers.js';
import { expectFetchedBack, storeFiles, useServer } from './fixture.js';

const missing = nginxMissing();
const { big, files: FILES } = storeFiles(7);
const state = useServer(missing, startNginx, FILES);
let dir: string;
let base: string;
let n: number;
let server: Served;
let www: string;
beforeEach(() => {
  if (missing) return;
  ({ dir, n } = state);
  server = state.server!;
  www = join(state.root, 'www');
  base = `http://127.0.0.1:${server.port}/team${n}/images/`;
});

const env = (extra: NodeJS.ProcessEnv = {}) => ({
  NETRC: join(dir, 'no-netrc'),
  CROSSFLAKE_STORE_USER: USER,
  CROSSFLAKE_STORE_PASSWORD: PASSWORD,
  ...extra,
});
const release = (to: string, extra: NodeJS.ProcessEnv = {}) =>
  cli(['images', 'release', '--tag', 'v2026.11', '--to', to], dir, env(extra));
const puts = async (prefix: string) =>
  (await server.log()).split('\n').filter((l) => l.startsWith(`PUT ${prefix}`));

describe.skipIf(missing)(
  `release to an HTTP PUT store (nginx)${missing ? ` (skipped: ${missing})` : ''}`,
  () => {
    it('uploads artifacts, notes, SHA256SUMS and manifest.json last, then latest/; fetch reads it back byte for byte', async () => {
      const res = await release(base);
      expect(res.code, res.stderr).toBe(0);
      const path = `/team${n}/images/v2026.11/`;
      const order = (await puts(path)).map((l) => l.split(' ')[1]!.slice(path.length));
      expect(order).toEqual([
        ...FILES.map((f) => f.file),
        'RELEASE-NOTES.md',
        'SHA256SUMS',
        'manifest.json',
      ]);
      const latest = JSON.parse(
        await readFile(join(www, `team${n}/images/latest/release.json`), 'utf8'),
      );
      expect(latest).toMatchObject({ tag: 'v2026.11', version: '2026.11', path: '../v2026.11/' });
      for (const f of FILES)
        expect(
          (await readFile(join(www, `team${n}/images/v2026.11`, f.file))).equals(
            Buffer.from(f.data),
          ),
        ).toBe(true);

      for (const from of [`${base}v2026.11/`, `${base}latest/`])
        await expectFetchedBack(from, dir, env(), FILES[1]!.file, big);
    });

    it('a second release of the same version uploads nothing', async () => {
      expect((await release(base)).code).toBe(0);
      const before = (await puts(`/team${n}/`)).length;
      const again = await cli(
        ['images', 'release', '--tag', 'v2026.11', '--to', base, '--json'],
        dir,
        env(),
      );
      expect(again.code, again.stderr).toBe(0);
      expect((await puts(`/team${n}/`)).length).toBe(before);
      const report = JSON.parse(again.stdout) as { files: { action: string }[] };
      expect(report.files.map((f) => f.action)).toEqual(Array(6).fill('unchanged'));
    });

    it('with no --to, the team config names the store (images.store in crossflake.json)', async () => {
      await writeFile(join(dir, 'crossflake.json'), JSON.stringify({ images: { store: base } }));
      const res = await cli(['images', 'release', '--tag', 'v2026.11'], dir, env());
      expect(res.code, res.stderr).toBe(0);
      expect(res.stdout).toContain(`Published to ${base}v2026.11/`);
      expect((await puts(`/team${n}/images/v2026.11/`)).length).toBe(5);
    });

    it('wrong credentials: one line naming the fix, exit 1, nothing stored', async () => {
      const res = await release(base, { CROSSFLAKE_STORE_PASSWORD: 'not-the-password' });
      expect(res.code).toBe(1);
      // Progress lines aside, the failure is one line.
      expect(
        res.stderr
          .trim()
          .split('\n')
          .filter((l) => !l.startsWith('uploading ')),
      ).toHaveLength(1);
      expect(res.stderr).toMatch(
        /HTTP 401 Unauthorized; check the credentials \(CROSSFLAKE_STORE_USER/,
      );
      expect(res.stderr).not.toContain('not-the-password');
      await expect(readdir(join(www, `team${n}`))).rejects.toThrow(/ENOENT/);
      const none = await release(base, {
        CROSSFLAKE_STORE_USER: '',
        CROSSFLAKE_STORE_PASSWORD: '',
      });
      expect(none.code).toBe(1);
      expect(none.stderr).toContain('the store wants credentials');
    });

    it('credentials from a netrc file work the same', async () => {
      const netrc = join(dir, 'netrc');
      await import('node:fs/promises').then((fs) =>
        fs.writeFile(netrc, `machine 127.0.0.1\n  login ${USER}\n  password ${PASSWORD}\n`),
      );
      const res = await release(base, { NETRC: netrc, CROSSFLAKE_STORE_USER: '' });
      expect(res.code, res.stderr).toBe(0);
    });

    it('a killed upload: the re-run sends only what is missing and finishes the release', async () => {
      const proxy = await startCutProxy(server.port);
      try {
        const via = base.replace(`:${server.port}/`, `:${proxy.port}/`);
        // Through the small file and 1 MiB into the big one, then the line goes dead.
        proxy.cutAfter(1024 * 1024, true);
        const cut = await release(via, { CROSSFLAKE_RETRIES: '0' });
        expect(cut.code).toBe(1);
        expect(cut.stderr.trim().split('\n').at(-1)).toMatch(/connection|closed|reset/);
        const path = `/team${n}/images/v2026.11/`;
        expect((await puts(path)).filter((l) => / 20[14] /.test(l))).toHaveLength(1);
        proxy.heal();
        const resumed = await cli(
          ['images', 'release', '--tag', 'v2026.11', '--to', via, '--json'],
          dir,
          env(),
        );
        expect(resumed.code, resumed.stderr).toBe(0);
        const report = JSON.parse(resumed.stdout) as { files: { name: string; action: string }[] };
        expect(report.files.find((f) => f.name === FILES[0]!.file)?.action).toBe('unchanged');
        expect(report.files.find((f) => f.name === FILES[1]!.file)?.action).toBe('sent');
        const stored = (await puts(path)).filter((l) => / 20[14] /.test(l));
        expect(stored.filter((l) => l.includes('.wsl'))).toHaveLength(1);
        expect(stored.filter((l) => l.includes('.qcow2'))).toHaveLength(1);
        expect(
          (await readFile(join(www, `team${n}/images/v2026.11`, FILES[1]!.file))).equals(big),
        ).toBe(true);
      } finally {
        await proxy.stop();
      }
    });
  },
);
