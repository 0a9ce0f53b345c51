import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const bin = join(process.cwd(), 'bin/crossflake.js');
let dir: string;
let env: NodeJS.ProcessEnv;
const image = 'company-nixos-wsl-x86_64-linux-2026.11.wsl';

function cli(...args: string[]) {
  return spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env, cwd: dir });
}

/** Every path under dir with its size and mtime: any write shows up. */
function snapshot(root: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const s = statSync(p);
      out.push(`${p} ${s.size} ${s.mtimeMs}`);
      if (s.isDirectory()) walk(p);
    }
  };
  walk(root);
  return out;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'crossflake-onboard-cli-'));
  mkdirSync(join(dir, 'release'));
  const bytes = Buffer.from('image bytes');
  writeFileSync(join(dir, 'release', image), bytes);
  writeFileSync(
    join(dir, 'release', 'SHA256SUMS'),
    `${createHash('sha256').update(bytes).digest('hex')}  ${image}\n`,
  );
  mkdirSync(join(dir, 'home'));
  env = {
    PATH: process.env.PATH,
    HOME: join(dir, 'home'),
    XDG_STATE_HOME: join(dir, 'home', '.local', 'state'),
    LOCALAPPDATA: join(dir, 'appdata'),
    NO_COLOR: '1',
  };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('onboard --dry-run --facts (built CLI): the whole plan, nothing changed', () => {
  it('wsl from a recorded Windows host, reviewed on Linux', () => {
    const before = snapshot(dir);
    const state = join(dir, 'state', 'wsl.json');
    const res = cli(
      'onboard',
      'wsl',
      '--dry-run',
      '--json',
      '--facts',
      `${process.cwd()}/test/fixtures/host/facts/windows-native.json`,
      '--image',
      join(dir, 'release'),
      '--config',
      'https://github.com/acme/ada-config',
      '--user',
      'ada',
      '--state',
      state,
    );
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    const out = JSON.parse(res.stdout) as {
      dryRun: boolean;
      statePath: string;
      plan: { row: string; steps: { id: string; command: string[] }[] };
    };
    expect(out.dryRun).toBe(true);
    expect(out.statePath).toBe(state);
    expect(out.plan.row).toBe('wsl2-x86_64');
    expect(out.plan.steps.find((s) => s.id === 'import')?.command.slice(0, 3)).toEqual([
      'wsl',
      '--install',
      '--from-file',
    ]);
    expect(snapshot(dir)).toEqual(before);
  });

  it('macos from a recorded Mac, as text', () => {
    const before = snapshot(dir);
    const res = cli(
      'onboard',
      'macos',
      '--dry-run',
      '--facts',
      `${process.cwd()}/test/fixtures/host/facts/darwin-aarch64.json`,
      '--to',
      join(dir, 'cfg'),
      '--user',
      'ada',
      '--host',
      'ada-mac',
      // The templates' sharedFlake has no default: a plan names the flake.
      '--flake',
      'path:/srv/shared-flake',
    );
    expect(res.status).toBe(0);
    expect(res.stdout).toContain('Plan: macOS Apple Silicon (aarch64): darwin configuration');
    expect(res.stdout).toContain('--flake path:/srv/shared-flake');
    expect(res.stdout).toContain(
      `run:  crossflake init darwin ${join(dir, 'cfg')} -p username=ada`,
    );
    expect(res.stdout).toContain('run:  sudo darwin-rebuild switch --flake .#ada-mac');
    expect(res.stdout).toContain(
      `State file (a re-run continues from it): ${join(dir, 'home', '.local', 'state', 'crossflake', 'onboard-macos.json')}`,
    );
    expect(snapshot(dir)).toEqual(before);
  });

  it('a blocked plan (WSL missing) prints the fix and exits 1', () => {
    const res = cli(
      'onboard',
      'wsl',
      '--dry-run',
      '--facts',
      `${process.cwd()}/test/fixtures/host/facts/broken-windows-no-wsl.json`,
      '--image',
      join(dir, 'release'),
    );
    expect(res.status).toBe(1);
    expect(res.stdout).toContain('✗ WSL is not installed');
    expect(res.stdout).toContain('wsl --install --no-distribution');
  });

  it('--facts without --dry-run, and options of another flow, are usage errors', () => {
    const facts = `${process.cwd()}/test/fixtures/host/facts/darwin-aarch64.json`;
    const a = cli('onboard', 'macos', '--facts', facts);
    expect(a.status).toBe(2);
    expect(a.stderr).toContain('use it with --dry-run');
    const b = cli('onboard', 'macos', '--dry-run', '--facts', facts, '--home-only');
    expect(b.status).toBe(2);
    expect(b.stderr).toContain('--home-only does not apply to onboard macos');
  });
});
