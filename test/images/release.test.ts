// Releases of real builds of the fixture flake: to a directory (fully), and
// to GitHub through a local replay of the releases API on 127.0.0.1.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { calverBase } from '../../src/images/version.js';
import { needsNix, nixVersion } from '../helpers/nix.js';
import { startFakeGitHub, type FakeGitHub } from './github-server.js';
import { cli, workspace, type Workspace } from './helpers.js';

const TOKEN = 'ghp_testtoken0123456789abcdefghijklmnopqr';
let ws: Workspace;
beforeEach(async () => {
  ws = await workspace();
});
afterEach(() => ws.cleanup());

const build = (...extra: string[]) =>
  cli(['images', 'build', '--flake', ws.flake, '--facts', ws.facts, ...extra], ws.dir);
const release = (...extra: string[]) =>
  cli(['images', 'release', '--flake', ws.flake, ...extra], ws.dir, { GITHUB_TOKEN: TOKEN });

describe.skipIf(!nixVersion)(`images release --dir${needsNix}`, () => {
  it('publishes artifacts, SHA256SUMS, manifest and notes; re-running changes nothing', async () => {
    expect((await build('--only', 'x86_64-linux')).code).toBe(0);
    const version = calverBase(new Date());
    const tag = `v${version}`;
    const first = await release('--tag', tag, '--dir', 'published');
    expect(first.code, first.stderr).toBe(0);
    const dest = join(ws.dir, 'published', tag);
    const files = await readdir(dest);
    expect(files.sort()).toEqual(
      [
        'RELEASE-NOTES.md',
        'SHA256SUMS',
        'manifest.json',
        `demo-docker-x86_64-linux-${version}.tar.gz`,
        `demo-iso-x86_64-linux-${version}.iso`,
        `demo-qcow2-x86_64-linux-${version}.qcow2`,
        `demo-vmware-x86_64-linux-${version}.vmdk`,
        `demo-wsl-x86_64-linux-${version}.wsl`,
      ].sort(),
    );
    expect(spawnSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: dest }).status).toBe(0);
    const notes = await readFile(join(dest, 'RELEASE-NOTES.md'), 'utf8');
    expect(notes).toContain(`# ${tag}`);
    expect(notes).toContain('## First release');
    expect(notes).toContain(`- added demo-wsl-x86_64-linux-${version}.wsl`);
    expect(first.stdout).toMatch(/sent\s+SHA256SUMS/);

    const again = await release('--tag', tag, '--dir', 'published', '--json');
    const report = JSON.parse(again.stdout) as { files: { action: string }[] };
    expect(report.files.every((f) => f.action === 'unchanged')).toBe(true);
  });

  it('a published file with other content is a conflict unless --replace', async () => {
    expect((await build('--only', 'iso')).code).toBe(0);
    const tag = `v${calverBase(new Date())}`;
    expect((await release('--tag', tag, '--dir', 'out')).code).toBe(0);
    const iso = (await readdir(join(ws.dir, 'out', tag))).find((f) => f.endsWith('.iso')) as string;
    await writeFile(join(ws.dir, 'out', tag, iso), 'someone else wrote this');
    const refused = await release('--tag', tag, '--dir', 'out');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`pass --replace`);
    expect(refused.stderr).toContain(iso);
    expect(await readFile(join(ws.dir, 'out', tag, iso), 'utf8')).toBe('someone else wrote this');
    const replaced = await release('--tag', tag, '--dir', 'out', '--replace');
    expect(replaced.code).toBe(0);
    expect(replaced.stdout).toMatch(new RegExp(`replaced\\s+${iso.replace(/\./g, '\\.')}`));
  });

  it('refuses a tag that does not name the version, and a release with a tampered artifact', async () => {
    expect((await build('--only', 'vmware')).code).toBe(0);
    const bad = await release('--tag', 'v0.0.1', '--dir', 'out');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(
      '--tag v0.0.1 names version 0.0.1, but the newest build in dist/ is',
    );
    const version = calverBase(new Date());
    await writeFile(join(ws.dir, 'dist', version, `demo-vmware-x86_64-linux-${version}.vmdk`), 'x');
    const tampered = await release('--tag', `v${version}`, '--dir', 'out');
    expect(tampered.code).toBe(2);
    expect(tampered.stderr).toContain('does not match its sha256');
  });

  it('after a release the next build of the month is YYYY.MM.1 and its notes say what changed', async () => {
    expect((await build('--only', 'iso', '--only', 'vmware')).code).toBe(0);
    const base = calverBase(new Date());
    expect((await release('--tag', `v${base}`, '--dir', 'out')).code).toBe(0);
    await writeFile(join(ws.flake, 'salt-iso'), `${Date.now()}`);
    const second = await build('--only', 'iso', '--only', 'vmware', '--json');
    const summary = JSON.parse(second.stdout) as {
      version: string;
      results: { key: string; status: string }[];
    };
    expect(summary.version).toBe(`${base}.1`);
    expect(summary.results.map((r) => r.status).sort()).toEqual(['built', 'reused']);
    expect((await release('--tag', `v${base}.1`, '--dir', 'out')).code).toBe(0);
    const notes = await readFile(join(ws.dir, 'out', `v${base}.1`, 'RELEASE-NOTES.md'), 'utf8');
    expect(notes).toContain(`## Changes since ${base}`);
    expect(notes).toMatch(/- rebuilt demo-iso-x86_64-linux-.*\.iso: .* MiB \(\+0\.0 MiB\)/);
    expect(notes).toContain('- unchanged: demo-vmware-x86_64-linux');
  });
});

describe.skipIf(!nixVersion)(`privacy gate${needsNix}`, () => {
  it('refuses to release an image whose closure or tarball carries a configured identifier', async () => {
    await writeFile(join(ws.flake, 'user'), 'jdoe');
    await writeFile(
      join(ws.flake, 'crossflake.json'),
      JSON.stringify({ privacy: { identifiers: ['jdoe', 'jane@example.com'] } }),
    );
    expect((await build('--only', 'docker', '--only', 'wsl')).code).toBe(0);
    const tag = `v${calverBase(new Date())}`;
    const refused = await release('--tag', tag, '--dir', 'out');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('nothing was published');
    expect(refused.stderr).toMatch(
      /'jdoe' in closure \/nix\/store\/[a-z0-9]{32}-demo-toplevel\/home\/jdoe/,
    );
    expect(refused.stderr).toMatch(/\.wsl: 'jdoe' in tar member content \.\/etc\/passwd/);
    expect(refused.stderr).toMatch(/\.tar\.gz: 'jdoe' in tar member content \.\/etc\/passwd/);
    expect(refused.stderr).toContain('--allow-identifier jdoe');
    expect(refused.stderr).not.toContain('jane@example.com');
    await expect(readdir(join(ws.dir, 'out'))).rejects.toThrow(/ENOENT/);

    const allowed = await release('--tag', tag, '--dir', 'out', '--allow-identifier', 'jdoe');
    expect(allowed.code, allowed.stderr).toBe(0);
  });
});

describe.skipIf(!nixVersion)(
  `images release --github (recorded API replay on 127.0.0.1)${needsNix}`,
  () => {
    let gh: FakeGitHub;
    beforeEach(async () => {
      gh = await startFakeGitHub(TOKEN);
    });
    afterEach(() => gh.close());

    const publish = (...extra: string[]) =>
      cli(['images', 'release', '--flake', ws.flake, '--github', 'acme/images', ...extra], ws.dir, {
        GITHUB_TOKEN: TOKEN,
        GITHUB_API_URL: gh.url,
      });

    it('creates the release, survives a 502 mid-upload, and re-running uploads nothing', async () => {
      expect((await build('--only', 'x86_64-linux')).code).toBe(0);
      const version = calverBase(new Date());
      const tag = `v${version}`;
      const qcow2 = `demo-qcow2-x86_64-linux-${version}.qcow2`;
      gh.failUploadOnce.add(qcow2);
      const res = await publish('--tag', tag);
      expect(res.code, res.stderr).toBe(0);
      expect(res.stderr).toContain(`upload of ${qcow2} failed`);
      expect(gh.failUploadOnce.size).toBe(0);

      const [release] = [...gh.releases.values()];
      expect(release?.tag_name).toBe(tag);
      expect(String(release?.body)).toContain('## First release');
      const assets = [...gh.assets.values()];
      expect(assets.map((a) => a.json.name).sort()).toHaveLength(8);
      expect(assets.every((a) => a.json.state === 'uploaded')).toBe(true);
      // What GitHub holds is byte for byte what dist/ holds.
      for (const a of assets) {
        const local = await readFile(join(ws.dir, 'dist', version, String(a.json.name)));
        expect(createHash('sha256').update(a.data).digest('hex')).toBe(
          createHash('sha256').update(local).digest('hex'),
        );
      }
      // The half-uploaded asset was deleted before the retry.
      expect(gh.log.filter((l) => l.startsWith('DELETE'))).toHaveLength(1);

      gh.log.length = 0;
      const again = await publish('--tag', tag, '--json');
      expect(again.code).toBe(0);
      expect(gh.log.some((l) => l.startsWith('POST'))).toBe(false);
      expect(gh.log.some((l) => l.startsWith('DELETE'))).toBe(false);
    });

    it('hashes assets that have no digest by downloading them, and never deletes without --replace', async () => {
      expect((await build('--only', 'iso')).code).toBe(0);
      const tag = `v${calverBase(new Date())}`;
      expect((await publish('--tag', tag)).code).toBe(0);
      const assets = [...gh.assets.values()];
      const iso = assets.find((a) => String(a.json.name).endsWith('.iso'));
      const sums = assets.find((a) => a.json.name === 'SHA256SUMS');
      if (!iso || !sums) throw new Error('assets missing');
      sums.json.digest = null; // uploaded before GitHub computed digests
      iso.data = Buffer.from('changed on the server');
      iso.json.digest = `sha256:${createHash('sha256').update(iso.data).digest('hex')}`;

      gh.log.length = 0;
      const refused = await publish('--tag', tag);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(String(iso.json.name));
      expect(gh.log).toContain(`GET /repos/acme/images/releases/assets/${String(sums.json.id)}`);
      expect(gh.log.some((l) => l.startsWith('DELETE') || l.startsWith('POST'))).toBe(false);

      const replaced = await publish('--tag', tag, '--replace');
      expect(replaced.code, replaced.stderr).toBe(0);
      expect(gh.log).toContain(`DELETE /repos/acme/images/releases/assets/${String(iso.json.id)}`);
    });

    it('sends the token only in the Authorization header and never prints it, even when GitHub refuses it', async () => {
      expect((await build('--only', 'vmware')).code).toBe(0);
      const tag = `v${calverBase(new Date())}`;
      const wrong = await cli(
        ['images', 'release', '--flake', ws.flake, '--github', 'acme/images', '--tag', tag],
        ws.dir,
        {
          GITHUB_TOKEN: `${TOKEN}x`,
          GITHUB_API_URL: gh.url,
        },
      );
      expect(wrong.code).not.toBe(0);
      expect(`${wrong.stdout}${wrong.stderr}`).toContain('401');
      expect(`${wrong.stdout}${wrong.stderr}`).not.toContain(TOKEN);
      const ok = await publish('--tag', tag);
      expect(`${ok.stdout}${ok.stderr}`).not.toContain(TOKEN);
      expect(gh.authHeaders).toContain(`Bearer ${TOKEN}`);
    });
  },
);
