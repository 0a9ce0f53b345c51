// One name per meaning: --flake for a flake, --to for where things go,
// --image-version for the version of images (not the global --version);
// the old names work for one release with a one-line notice on stderr.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../src/cli.js';
import { renameOptions } from '../../src/args.js';
import { captureIo } from '../helpers/capture-io.js';
import pkg from '../../package.json' with { type: 'json' };

const facts = join(process.cwd(), 'test/fixtures/host/facts/linux-x86_64.json');

async function cli(cwd: string, ...args: string[]) {
  const io = captureIo(cwd, { HOME: cwd });
  const code = await run(args, io);
  return { code, stdout: io.out(), stderr: io.err() };
}

describe('no subcommand option takes a global flag name', () => {
  it('crossflake images --version prints the version', async () => {
    const res = await cli(tmpdir(), 'images', '--version');
    expect(res).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
  });

  it('images build --help names --image-version, not --version V', async () => {
    const res = await cli(tmpdir(), 'images', 'build', '--help');
    expect(res.stdout).toContain('--image-version V');
    expect(res.stdout).not.toMatch(/^ +--version V/m);
  });

  it('--version V of images is read as --image-version, a bare --version stays global', () => {
    expect(renameOptions(['build', '--version', '1.0'], { version: 'image-version' })).toEqual({
      args: ['build', '--image-version', '1.0'],
      notices: ['--version is now --image-version; the old name goes away in the next release'],
    });
    expect(renameOptions(['build', '--version=1.0'], { version: 'image-version' }).args).toEqual([
      'build',
      '--image-version=1.0',
    ]);
    expect(renameOptions(['build', '--version'], { version: 'image-version' }).args).toEqual([
      'build',
      '--version',
    ]);
    expect(renameOptions(['--', '--dir', 'x'], { dir: 'to' }).args).toEqual(['--', '--dir', 'x']);
  });
});

describe('--flake names a flake everywhere; the old --from works with a notice', () => {
  it('init --flake sets sharedFlake; init --from does too and says it is renamed', async () => {
    for (const flag of ['--flake', '--from']) {
      const dir = mkdtempSync(join(tmpdir(), 'crossflake-names-'));
      const res = await cli(
        dir,
        'init',
        'wsl-nixos',
        'cfg',
        '--non-interactive',
        flag,
        'github:acme/cfg',
      );
      expect(res.code, res.stderr).toBe(0);
      expect(readFileSync(join(dir, 'cfg', 'flake.nix'), 'utf8')).toContain('github:acme/cfg');
      if (flag === '--from')
        expect(res.stderr).toBe(
          'crossflake init: --from is now --flake; the old name goes away in the next release\n',
        );
      else expect(res.stderr).toBe('');
    }
  });

  it('onboard linux --flake and --to; --from and --dir still work with notices', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crossflake-names-'));
    const base = ['onboard', 'linux', '--dry-run', '--facts', facts, '--json'];
    const now = await cli(dir, ...base, '--flake', 'github:acme/team', '--to', join(dir, 'c'));
    expect(now.code, now.stderr).toBe(0);
    expect(now.stderr).toBe('');
    const old = await cli(dir, ...base, '--from', 'github:acme/team', '--dir', join(dir, 'c'));
    expect(old.code).toBe(0);
    expect(old.stderr).toMatch(/--from is now --flake/);
    expect(old.stderr).toMatch(/--dir is now --to/);
    expect(JSON.parse(old.stdout)).toEqual(JSON.parse(now.stdout));
    const plan = JSON.parse(now.stdout) as { plan: { steps: { command: string[] }[] } };
    const init = plan.plan.steps.find((s) => s.command.includes('init'))!;
    expect(init.command).toEqual(expect.arrayContaining(['--flake', 'github:acme/team']));
    expect(init.command).toContain(join(dir, 'c'));
  });
});
