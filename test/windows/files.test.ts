// images fetch and init as Windows processes writing to C:\ paths under a
// user profile with a space and non-ASCII characters; read back from the
// Wine prefix's drive.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serveRelease, type ReleaseServer } from '../helpers/release-server.js';
import { cDrive, checkLane, laneWork, runWindows, WINDOWS_USER } from './lane.js';

const PROFILE = `C:\\users\\${WINDOWS_USER}`;
const IMAGE = 'nixos-wsl-x86_64-linux-1.0.0.wsl';
const BYTES = Buffer.from('image bytes for the Windows lane\n');

const work = laneWork();
let server: ReleaseServer;
beforeAll(async () => {
  checkLane();
  mkdirSync(join(work, 'release'));
  writeFileSync(join(work, 'release', IMAGE), BYTES);
  const sum = createHash('sha256').update(BYTES).digest('hex');
  writeFileSync(join(work, 'release', 'SHA256SUMS'), `${sum}  ${IMAGE}\n`);
  server = await serveRelease(join(work, 'release'));
});
afterAll(async () => {
  await server.close();
  rmSync(work, { recursive: true, force: true });
});

describe('files written by the CLI as a Windows process', () => {
  it('images fetch to a C:\\ folder with spaces and non-ASCII: downloaded and verified', async () => {
    const to = `${PROFILE}\\Downloads\\team images`;
    rmSync(cDrive(to), { recursive: true, force: true });
    const res = await runWindows(['images', 'fetch', server.url, '--image', IMAGE, '--to', to]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout + res.stderr).toMatch(/matches SHA256SUMS/);
    expect(readFileSync(cDrive(`${to}\\${IMAGE}`))).toEqual(BYTES);
    // Nothing but the artifact: no partial file or download record left behind.
    expect(readdirSync(cDrive(to))).toEqual([IMAGE]);
  });

  it('init into a C:\\ folder: the configuration is written there and nowhere else', async () => {
    const dir = `${PROFILE}\\nix config`;
    rmSync(cDrive(dir), { recursive: true, force: true });
    const res = await runWindows([
      'init',
      'wsl-home',
      dir,
      '--non-interactive',
      '-p',
      'username=juergen',
      '-p',
      `fullName=${WINDOWS_USER}`,
      '-p',
      'email=juergen@example.org',
      '-p',
      'sharedFlake=path:/srv/team-flake',
    ]);
    expect(res.code, res.stdout + res.stderr).toBe(0);
    const flake = readFileSync(cDrive(`${dir}\\flake.nix`), 'utf8');
    expect(flake).toContain('path:/srv/team-flake');
    // The parameters arrive intact through Windows' command line (UTF-8, spaces).
    expect(flake).toContain('"juergen"');
    expect(flake).toContain(`"${WINDOWS_USER}"`);
    expect(readdirSync(cDrive(dir)).sort()).toEqual(['README.md', 'flake.nix', 'home.nix']);
    // No temporary directory of the atomic write is left beside it.
    expect(readdirSync(cDrive(PROFILE)).filter((n) => n.includes('crossflake-init'))).toEqual([]);
  });
});
