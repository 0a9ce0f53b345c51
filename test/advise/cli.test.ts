import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';

const cli = (...args: string[]) =>
  spawnSync(process.execPath, ['bin/crossflake.js', ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });

describe('crossflake advise (built CLI)', () => {
  it('--json gives the leaf, reasons and argument arrays', () => {
    const res = cli(
      'advise',
      '--need',
      'system-test,gui',
      '--facts',
      'test/fixtures/host/facts/linux-x86_64.json',
      '--json',
    );
    expect(res.status).toBe(0);
    const out = JSON.parse(res.stdout) as { leaf: string; needs: string[]; commands: string[][] };
    expect(out.leaf).toBe('vm-native');
    expect(out.needs).toEqual(['system-test', 'gui']);
    expect(out.commands.slice(-2)).toEqual([
      ['crossflake', 'vm', 'test', 'generic-vm-gui-x86_64', '--flake', '.'],
      ['crossflake', 'vm', 'run', 'generic-vm-gui-x86_64', '--flake', '.'],
    ]);
  });

  it('text output has the recommendation, why, and next commands', () => {
    const res = cli(
      'advise',
      '--need',
      'iterate',
      '--shell',
      'rust',
      '--facts',
      'test/fixtures/host/facts/darwin-aarch64.json',
    );
    expect(res.stdout).toMatch(/^Use a dev shell\n\nWhy:\n/);
    expect(res.stdout).toContain('Next:\n  nix develop .#rust');
  });

  it('an unknown need exits 2 listing the valid ones', () => {
    const res = cli('advise', '--need', 'bogus');
    expect(res.status).toBe(2);
    expect(res.stderr).toContain('system-test');
  });

  it('a host without a row exits 1', () => {
    expect(cli('advise', '--facts', 'test/fixtures/host/facts/broken-wsl1.json').status).toBe(1);
  });
});
