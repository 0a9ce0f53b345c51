import { describe, expect, it } from 'vitest';
import { rootCommand } from '../../src/images/export.js';
import { buildArgs } from '../../src/images/nixbuild.js';
import { Progress, statusLine } from '../../src/images/progress.js';
import { resolveFlakeRef } from '../../src/images/repo.js';
import { checkTag } from '../../src/images/release.js';
import { decide } from '../../src/images/publish.js';
import { validateStoreUri } from '../../src/images/copy.js';

describe('small decisions of images', () => {
  it('runs the root program directly as root and through sudo otherwise', () => {
    expect(rootCommand('/nix/store/x/bin/b', '/d/a.wsl', true)).toEqual([
      '/nix/store/x/bin/b',
      ['/d/a.wsl'],
    ]);
    expect(rootCommand('/nix/store/x/bin/b', '/d/a.wsl', false)).toEqual([
      'sudo',
      ['--', '/nix/store/x/bin/b', '/d/a.wsl'],
    ]);
  });

  it('builds all targets in one nix build, naming outputs the way each Nix version wants', () => {
    const targets = [
      { key: 'a', drvPath: '/nix/store/a.drv', outPath: '/nix/store/a' },
      { key: 'b', drvPath: '/nix/store/b.drv', outPath: '/nix/store/b' },
    ];
    const old = buildArgs(targets, { keepGoing: true, maxJobs: 3, nixVersion: '2.8.0' });
    expect(old).toEqual([
      '--extra-experimental-features',
      'nix-command flakes',
      'build',
      '--no-link',
      '--json',
      '--log-format',
      'internal-json',
      '--max-jobs',
      '3',
      '--keep-going',
      '/nix/store/a.drv',
      '/nix/store/b.drv',
    ]);
    const modern = buildArgs(targets, {
      keepGoing: false,
      maxJobs: 1,
      builders: 'ssh://x',
      nixVersion: '2.28.3',
    });
    expect(modern.slice(-4)).toEqual([
      '--builders',
      'ssh://x',
      '/nix/store/a.drv^*',
      '/nix/store/b.drv^*',
    ]);
  });

  it('resolves local flake paths to absolute ones and keeps remote references', () => {
    expect(resolveFlakeRef('.', '/srv/team')).toEqual({ ref: '/srv/team', dir: '/srv/team' });
    expect(resolveFlakeRef('path:sub', '/w')).toEqual({ ref: 'path:/w/sub', dir: '/w/sub' });
    expect(resolveFlakeRef('github:acme/team', '/w')).toEqual({
      ref: 'github:acme/team',
      dir: null,
    });
    expect(() => resolveFlakeRef('.#x', '/w')).toThrow(/without '#attribute'/);
  });

  it('tags must name the version; store URIs must be known and absolute for file://', () => {
    expect(() => checkTag('v2026.11', '2026.11')).not.toThrow();
    expect(() => checkTag('2026.11', '2026.11')).not.toThrow();
    expect(() => checkTag('v2026.12', '2026.11')).toThrow(
      /--tag v2026\.12 names version 2026\.12, but the newest build in dist\/ is 2026\.11; tag it v2026\.11/,
    );
    expect(() => checkTag('v1;rm', '1')).toThrow(/not a valid tag/);
    expect(validateStoreUri('s3://bucket?region=eu-west-1')).toBe('s3://bucket?region=eu-west-1');
    expect(() => validateStoreUri('ftp://x')).toThrow(/not a store URI/);
    expect(() => validateStoreUri('file:///a/../b')).toThrow(/absolute path/);
  });

  it('publishing sends missing files, keeps equal ones and never replaces without the flag', () => {
    expect(decide('aa', null, false)).toBe('send');
    expect(decide('aa', 'aa', false)).toBe('unchanged');
    expect(decide('aa', 'bb', false)).toBe('conflict');
    expect(decide('aa', 'bb', true)).toBe('replaced');
  });

  it('progress prints one line per state change when not on a terminal', () => {
    let out = '';
    let now = 1000;
    const p = new Progress(
      ['img-a', 'img-b'],
      { write: (s: string) => (out += s) },
      false,
      () => now,
    );
    p.set('img-a', 'building');
    p.line('img-a', 'compressing');
    now = 3500;
    p.set('img-a', 'built', 'img-a.qcow2');
    p.set('img-b', 'failed', 'exit 7 (log: dist/logs/img-b.log)');
    p.stop();
    expect(out).toBe(
      '[img-a] building\n[img-a] built in 2.5s: img-a.qcow2\n[img-b] failed in 0.0s: exit 7 (log: dist/logs/img-b.log)\n',
    );
  });

  it('a live status line shows state, elapsed time and the last log line, cut to the width', () => {
    const line = statusLine(
      {
        key: 'img',
        state: 'building',
        startedAt: 0,
        endedAt: null,
        lastLine: 'x'.repeat(200),
        detail: '',
      },
      5,
      12_300,
      40,
    );
    expect(line).toHaveLength(40);
    expect(line.startsWith('img    building       12.3s  xxx')).toBe(true);
    expect(line.endsWith('…')).toBe(true);
  });
});
