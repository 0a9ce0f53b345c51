// images release on hand-made dist/ folders (no Nix): what it refuses to
// publish (an empty or partly failed set, a tag naming another version), the
// semver order of pre-releases, and a GitHub release whose big artifact goes
// up in numbered parts that fetch can put together again.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSha256Sums } from '../../src/images/artifact-name.js';
import { reassemble } from '../../src/images/asset-parts.js';
import type { Manifest } from '../../src/images/manifest.js';
import { compareVersionStrings } from '../../src/images/version.js';
import { startFakeGitHub, type FakeGitHub } from './github-server.js';
import { cli } from './helpers.js';
import { makeDist, sha256 } from './dist-fixture.js';

const TOKEN = 'ghp_integrity0123456789abcdefghijklmnop';
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cf-integrity-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const release = (...args: string[]) => cli(['images', 'release', ...args], dir);
const failedWsl = {
  key: 'demo-wsl-x86_64-linux',
  status: 'failed',
  reason: "error: builder for '/nix/store/x-demo-wsl.drv' failed with exit code 1",
};

describe('release refuses a set that is not whole', () => {
  it('refuses an empty set (every image failed), publishing nothing', async () => {
    await makeDist(join(dir, 'dist'), '2026.11', [], { missing: [failedWsl] });
    const res = await release('--tag', 'v2026.11', '--dir', 'out');
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(
      'version 2026.11 has no artifacts (1 image(s) failed or were skipped); nothing to release',
    );
    await expect(readFile(join(dir, 'out', 'v2026.11', 'SHA256SUMS'))).rejects.toThrow(/ENOENT/);
    const allowed = await release('--tag', 'v2026.11', '--dir', 'out', '--allow-partial');
    expect(allowed.code).toBe(1);
  });

  it('refuses a partly failed set unless --allow-partial, and then the notes say what is missing', async () => {
    await makeDist(
      join(dir, 'dist'),
      '2026.11',
      [{ file: 'demo-iso-x86_64-linux-2026.11.iso', data: 'iso', format: 'iso' }],
      { missing: [failedWsl] },
    );
    const refused = await release('--tag', 'v2026.11', '--dir', 'out');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      'version 2026.11 is incomplete: demo-wsl-x86_64-linux (failed); build them again, or release the rest with --allow-partial',
    );
    const partial = await release('--tag', 'v2026.11', '--dir', 'out', '--allow-partial');
    expect(partial.code, partial.stderr).toBe(0);
    const notes = await readFile(join(dir, 'out', 'v2026.11', 'RELEASE-NOTES.md'), 'utf8');
    expect(notes).toContain('## Missing from this release');
    expect(notes).toContain(
      "- demo-wsl-x86_64-linux: failed (error: builder for '/nix/store/x-demo-wsl.drv' failed with exit code 1)",
    );
  });
});

describe('versions: semver and CalVer order', () => {
  it('1.0.0-rc.1 then 1.0.0: release --tag v1.0.0 takes 1.0.0', async () => {
    await makeDist(join(dir, 'dist'), '1.0.0-rc.1', [
      { file: 'demo-iso-x86_64-linux-1.0.0-rc.1.iso', data: 'rc' },
    ]);
    await makeDist(join(dir, 'dist'), '1.0.0', [
      { file: 'demo-iso-x86_64-linux-1.0.0.iso', data: 'final' },
    ]);
    const res = await release('--tag', 'v1.0.0', '--dir', 'out');
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain('demo-iso-x86_64-linux-1.0.0.iso');
  });

  it('a tag that names another version names both versions', async () => {
    await makeDist(join(dir, 'dist'), '1.0.0', [{ file: 'a.iso', data: 'a' }]);
    const res = await release('--tag', 'v0.9.0', '--dir', 'out');
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(
      '--tag v0.9.0 names version 0.9.0, but the newest build in dist/ is 1.0.0',
    );
  });

  it('orders by semver precedence and by the documented CalVer rules', () => {
    const semver = ['1.0.0', '1.0.0-rc.10', '1.0.0-rc.2', '1.0.0-alpha', '0.9.0', '1.0.0-rc.1'];
    expect(semver.sort(compareVersionStrings)).toEqual([
      '0.9.0',
      '1.0.0-alpha',
      '1.0.0-rc.1',
      '1.0.0-rc.2',
      '1.0.0-rc.10',
      '1.0.0',
    ]);
    const calver = [
      '2026.11.1',
      '2026.9',
      '2027.01',
      '2026.11',
      '2026.10',
      '2026.11.10',
      '2026.11.2',
    ];
    expect(calver.sort(compareVersionStrings)).toEqual([
      '2026.9',
      '2026.10',
      '2026.11',
      '2026.11.1',
      '2026.11.2',
      '2026.11.10',
      '2027.01',
    ]);
  });
});

describe('images release --github on the loopback replay (no Nix)', () => {
  let gh: FakeGitHub;
  beforeEach(async () => {
    gh = await startFakeGitHub(TOKEN);
  });
  afterEach(() => gh.close());

  it('splits an asset over the (test-set) size limit into numbered parts listed in SHA256SUMS and the manifest', async () => {
    const big = Buffer.from(Array.from({ length: 2500 }, (_, i) => i % 251));
    await makeDist(join(dir, 'dist'), '2026.11', [
      { file: 'demo-qcow2-x86_64-linux-2026.11.qcow2', data: big, format: 'qcow2' },
      { file: 'demo-iso-x86_64-linux-2026.11.iso', data: 'small', format: 'iso' },
    ]);
    const res = await cli(
      ['images', 'release', '--tag', 'v2026.11', '--github', 'acme/images'],
      dir,
      {
        GH_TOKEN: TOKEN,
        GITHUB_TOKEN: '',
        GITHUB_API_URL: gh.url,
        CROSSFLAKE_GITHUB_ASSET_LIMIT: '1000',
      },
    );
    expect(res.code, res.stderr).toBe(0);
    const held = new Map([...gh.assets.values()].map((a) => [String(a.json.name), a.data]));
    expect([...held.keys()].sort()).toEqual([
      'RELEASE-NOTES.md',
      'SHA256SUMS',
      'demo-iso-x86_64-linux-2026.11.iso',
      'demo-qcow2-x86_64-linux-2026.11.qcow2.part-001-of-003',
      'demo-qcow2-x86_64-linux-2026.11.qcow2.part-002-of-003',
      'demo-qcow2-x86_64-linux-2026.11.qcow2.part-003-of-003',
      'manifest.json',
    ]);
    expect(
      [...held.values()].every((d) => d.length <= 1000 || d === held.get('manifest.json')),
    ).toBe(true);
    // What fetch does: SHA256SUMS verifies every published file, reassemble joins the parts.
    const sums = parseSha256Sums(String(held.get('SHA256SUMS')));
    for (const [name, hex] of sums) expect(sha256(held.get(name) as Buffer), name).toBe(hex);
    const plan = reassemble(sums.keys());
    expect(plan.problems).toEqual([]);
    const [whole] = plan.wholes;
    const joined = Buffer.concat((whole?.parts ?? []).map((p) => held.get(p) as Buffer));
    const manifest = JSON.parse(String(held.get('manifest.json'))) as Manifest;
    const entry = manifest.artifacts.find((a) => a.file === whole?.file);
    expect(createHash('sha256').update(joined).digest('hex')).toBe(entry?.sha256);
    expect(entry?.parts?.map((p) => p.file)).toEqual(whole?.parts);
    // dist/ itself is unchanged: its SHA256SUMS still lists the whole file.
    expect(await readFile(join(dir, 'dist', '2026.11', 'SHA256SUMS'), 'utf8')).toContain(
      'demo-qcow2-x86_64-linux-2026.11.qcow2\n',
    );
    expect(gh.authHeaders).toEqual(new Set([`Bearer ${TOKEN}`]));
  });

  it('an error body echoing the token is printed redacted', async () => {
    await makeDist(join(dir, 'dist'), '2026.11', [{ file: 'a.iso', data: 'a' }]);
    gh.echoAuthOnce.add('GET /repos/acme/images/releases/tags');
    const res = await cli(
      ['images', 'release', '--tag', 'v2026.11', '--github', 'acme/images'],
      dir,
      {
        GITHUB_TOKEN: TOKEN,
        GITHUB_API_URL: gh.url,
      },
    );
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('HTTP 400');
    expect(`${res.stdout}${res.stderr}`).not.toContain(TOKEN);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
  });
});
