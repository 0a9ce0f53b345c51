// `images release` with the privacy gate on real builds of the fixture flake:
// a secret that reached the image, this machine's path in the manifest, and
// --allow-unscanned naming a file that is not in the release.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { calverBase } from '../../src/images/version.js';
import { needsNix, nixVersion } from '../helpers/nix.js';
import { cli, workspace, type Workspace } from './helpers.js';

let ws: Workspace;
beforeEach(async () => {
  ws = await workspace();
});
afterEach(() => ws.cleanup());

const build = (...extra: string[]) =>
  cli(['images', 'build', '--flake', ws.flake, '--facts', ws.facts, ...extra], ws.dir);
const release = (...extra: string[]) =>
  cli(['images', 'release', '--flake', ws.flake, ...extra], ws.dir);

describe.skipIf(!nixVersion)(`privacy gate on secrets and local paths${needsNix}`, () => {
  it('a Stripe key that reached the image stops the release, masked in the message', async () => {
    // Built at run time; the fixture bakes `user` into /etc/passwd and /home.
    const key = ['sk', '_live_', 'Gq4Zr8Xw2Lm6Tb1Ny5Hc9Vd3'.repeat(2)].join('');
    await writeFile(join(ws.flake, 'user'), key);
    expect((await build('--only', 'docker', '--only', 'wsl')).code).toBe(0);
    const tag = `v${calverBase(new Date())}`;
    const refused = await release('--tag', tag, '--dir', 'out');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('nothing was published');
    expect(refused.stderr).toMatch(
      /\.wsl: a secret <Stripe secret key, 56 chars, masked> in tar member content \.\/etc\/passwd line 1/,
    );
    expect(refused.stderr).toMatch(/\.tar\.gz: a secret <Stripe secret key/);
    expect(refused.stderr).toContain('Move the secrets out of the configuration');
    expect(refused.stderr + refused.stdout).not.toContain(key);
    await expect(readdir(join(ws.dir, 'out'))).rejects.toThrow(/ENOENT/);
  });

  it("the manifest may not carry this machine's path (it once held the flake's absolute path)", async () => {
    expect((await build('--only', 'iso')).code).toBe(0);
    const version = calverBase(new Date());
    const manifestPath = join(ws.dir, 'dist', version, 'manifest.json');
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as { flake: string };
    expect(manifest.flake).toBe('.');
    // What builds before this fix wrote.
    manifest.flake = '/home/jdoe/src/team-config';
    await writeFile(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
    const refused = await release('--tag', `v${version}`, '--dir', 'out');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      'manifest.json: the local path /home/jdoe/src/team-config in the file',
    );
    await expect(readdir(join(ws.dir, 'out'))).rejects.toThrow(/ENOENT/);
  });

  it('--allow-unscanned must name a file of the release', async () => {
    expect((await build('--only', 'iso')).code).toBe(0);
    const tag = `v${calverBase(new Date())}`;
    const res = await release('--tag', tag, '--dir', 'out', '--allow-unscanned', 'nosuch.qcow2');
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('--allow-unscanned nosuch.qcow2: no such file in this release');
  });
});
