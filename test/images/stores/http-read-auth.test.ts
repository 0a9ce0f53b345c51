// Reading a release from an HTTP store that wants credentials to read too
// (Debian's real nginx, auth_basic on every method under /private/): images
// fetch and onboard take the credentials a release uses, send them to the
// store's own origin only once it asks, and never on a redirect elsewhere.
import { beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { cli } from '../helpers.js';
import { PASSWORD, USER, nginxMissing, startNginx, type Served } from './servers.js';
import { expectFetchedBack, onboardDryRun, storeFiles, useServer } from './fixture.js';

const missing = nginxMissing();
const { big, files: FILES } = storeFiles(9);
const state = useServer(missing, startNginx, FILES);
let dir: string;
let n: number;
let server: Served;
let base: string;
beforeEach(() => {
  if (missing) return;
  ({ dir, n } = state);
  server = state.server!;
  base = `http://127.0.0.1:${server.port}/private/team${n}/images/`;
});

const env = (extra: NodeJS.ProcessEnv = {}) => ({
  NETRC: join(dir, 'no-netrc'),
  CROSSFLAKE_STORE_USER: USER,
  CROSSFLAKE_STORE_PASSWORD: PASSWORD,
  ...extra,
});
const release = () => cli(['images', 'release', '--tag', 'v2026.11', '--to', base], dir, env());
const fetch = (source: string, extra: NodeJS.ProcessEnv = {}) =>
  cli(
    ['images', 'fetch', source, '--image', 'demo-wsl', '--to', join(dir, 'out')],
    dir,
    env(extra),
  );
/** The access log lines of GETs under `prefix`: "GET uri status length port auth=yes|no". */
const gets = async (prefix: string) =>
  (await server.log()).split('\n').filter((l) => l.startsWith(`GET ${prefix}`));

describe.skipIf(missing)(
  `fetch from an HTTP store that wants credentials (nginx)${missing ? ` (skipped: ${missing})` : ''}`,
  () => {
    it('with the release credentials, fetch reads the release and latest/ byte for byte', async () => {
      expect((await release()).code).toBe(0);
      for (const from of [`${base}v2026.11/`, `${base}latest/`])
        await expectFetchedBack(from, dir, env(), FILES[1]!.file, big);
      // Asked once (401), then sent with every request to the store.
      const log = await gets(`/private/team${n}/`);
      expect(log.some((l) => / 401 .* auth=no$/.test(l))).toBe(true);
      expect(log.filter((l) => / 20[06] /.test(l)).every((l) => l.endsWith('auth=yes'))).toBe(true);
    });

    it('credentials from a netrc file work the same', async () => {
      expect((await release()).code).toBe(0);
      const netrc = join(dir, 'netrc');
      const { writeFile } = await import('node:fs/promises');
      await writeFile(netrc, `machine 127.0.0.1\n  login ${USER}\n  password ${PASSWORD}\n`);
      const res = await fetch(`${base}v2026.11/`, { NETRC: netrc, CROSSFLAKE_STORE_USER: '' });
      expect(res.code, res.stderr).toBe(0);
    });

    it('wrong credentials: one line naming where they came from, exit 1, no secret shown', async () => {
      expect((await release()).code).toBe(0);
      const res = await fetch(`${base}v2026.11/`, { CROSSFLAKE_STORE_PASSWORD: 'wrong-pass-77' });
      expect(res.code).toBe(1);
      expect(res.stderr.trim().split('\n')).toHaveLength(1);
      expect(res.stderr).toMatch(
        /SHA256SUMS: HTTP 401 Unauthorized; check the credentials \(from CROSSFLAKE_STORE_USER\)/,
      );
      expect(res.stderr).not.toContain('wrong-pass-77');
      const none = await fetch(`${base}v2026.11/`, {
        CROSSFLAKE_STORE_USER: '',
        CROSSFLAKE_STORE_PASSWORD: '',
      });
      expect(none.code).toBe(1);
      expect(none.stderr.trim().split('\n')).toHaveLength(1);
      expect(none.stderr).toContain(
        'HTTP 401 Unauthorized; check the URL and that you may read it (a store that wants credentials takes CROSSFLAKE_STORE_USER',
      );
    });

    it('a redirect to another origin does not carry the Authorization header', async () => {
      expect((await release()).code).toBe(0);
      const moved = `http://127.0.0.1:${server.port}/private/moved/team${n}/images/v2026.11/`;
      const res = await fetch(moved);
      expect(res.code, res.stderr).toBe(0);
      expect(res.stdout).toContain('matches SHA256SUMS');
      const log = (await server.log()).split('\n');
      // The store redirected only after it had the credentials...
      const redirected = log.filter((l) => l.startsWith(`GET /private/moved/team${n}/`));
      expect(redirected.some((l) => / 302 \d+ \d+ auth=yes$/.test(l))).toBe(true);
      // ...and the other origin got every request without them.
      const elsewhere = log.filter((l) => l.startsWith(`GET /pub/team${n}/`));
      expect(elsewhere.length).toBeGreaterThanOrEqual(2);
      for (const l of elsewhere) expect(l).toMatch(new RegExp(` ${server.otherPort} auth=no$`));
    });

    it('a public store never sees the credentials (they go out only when asked)', async () => {
      const open = `http://127.0.0.1:${server.port}/team${n}/images/`;
      const put = await cli(['images', 'release', '--tag', 'v2026.11', '--to', open], dir, env());
      expect(put.code, put.stderr).toBe(0);
      const before = (await gets(`/team${n}/images/v2026.11/`)).length;
      expect((await fetch(`${open}v2026.11/`)).code).toBe(0);
      const log = (await gets(`/team${n}/images/v2026.11/`)).slice(before);
      expect(log.length).toBeGreaterThan(0);
      for (const l of log) expect(l).toMatch(/auth=no$/);
    });

    it('onboard wsl --image reads the store with the same credentials; wrong ones are named in the dry-run plan', async () => {
      expect((await release()).code).toBe(0);
      const args = (extra: NodeJS.ProcessEnv) => onboardDryRun(dir, env(extra), `${base}latest/`);
      const plan = await args({});
      expect(plan.code, plan.stderr).toBe(0);
      expect(plan.stdout).toContain(FILES[0]!.file);
      // A dry-run still prints the plan, saying why the release was not read.
      const denied = await args({ CROSSFLAKE_STORE_PASSWORD: 'wrong-pass-77' });
      expect(denied.stdout).toContain(
        'the release could not be read: http://127.0.0.1:' +
          `${server.port}/private/team${n}/images/latest/release.json: HTTP 401 Unauthorized; check the credentials (from CROSSFLAKE_STORE_USER)`,
      );
      expect(denied.stdout).not.toContain('wrong-pass-77');
    });
  },
);
