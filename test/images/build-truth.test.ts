// images build tells the truth (issue 15, item 4), with real Nix 2.8 on the
// fixture flake: the streaming nix build works on a nix.conf that enables no
// experimental feature, a failed image shows Nix's own first error lines in
// the progress, the summary and its log, and --verbose streams Nix's log.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildArgs, firstErrorLines } from '../../src/images/nixbuild.js';
import { statusLine } from '../../src/images/progress.js';
import { needsNix, NIX_OFFLINE_CONFIG, nixVersion } from '../helpers/nix.js';
import { cli, imagesBuild, workspace, type Workspace } from './helpers.js';

const version = '2026.11';
let ws: Workspace;
beforeEach(async () => {
  ws = await workspace();
});
afterEach(() => ws.cleanup());

// A default nix.conf: nix-command and flakes are NOT enabled.
const NO_FEATURES = NIX_OFFLINE_CONFIG.replace(
  /^experimental-features.*$/m,
  'experimental-features =',
);

const build = (env: NodeJS.ProcessEnv, ...extra: string[]) =>
  cli([...imagesBuild(ws, version), ...extra], ws.dir, env);

describe('the streaming nix build enables its own features', () => {
  it('puts --extra-experimental-features before the subcommand', () => {
    const args = buildArgs([{ key: 'a', drvPath: '/nix/store/a.drv', outPath: '/nix/store/a' }], {
      keepGoing: false,
      maxJobs: 1,
      nixVersion: '2.8.0',
    });
    expect(args.slice(0, 3)).toEqual([
      '--extra-experimental-features',
      'nix-command flakes',
      'build',
    ]);
  });

  it('the first lines of a Nix error start at its error: line', () => {
    const text =
      "noise\nerror: builder for '/nix/store/x.drv' failed with exit code 1;\n       last 3 log lines:\n       > a\n       > b\n       > c\n";
    expect(firstErrorLines(text)).toBe(
      "error: builder for '/nix/store/x.drv' failed with exit code 1;\nlast 3 log lines:\n> a\n> b",
    );
  });

  it('a live status line shows a multi-line error as one line', () => {
    const line = statusLine(
      {
        key: 'img',
        state: 'failed',
        startedAt: 0,
        endedAt: 1000,
        lastLine: '',
        detail: 'error: x failed\n> step 3',
      },
      3,
      1000,
      200,
    );
    expect(line).toBe('img  failed          1.0s  error: x failed | > step 3');
  });
});

describe.skipIf(!nixVersion)(`images build with real nix${needsNix}`, () => {
  it('builds on a nix.conf without nix-command and flakes', async () => {
    await writeFile(join(ws.flake, 'salt'), `${process.pid}-${Date.now()}-features`);
    const res = await build(
      { NIX_CONFIG: NO_FEATURES },
      '--only',
      'demo-iso-x86_64-linux',
      '--json',
    );
    expect(res.code, res.stderr).toBe(0);
    const summary = JSON.parse(res.stdout) as {
      results: { status: string; reason: string | null }[];
    };
    expect(summary.results.map((r) => r.status)).toEqual(['built']);
  });

  it("a failed image shows Nix's own error in the progress, the summary and its log; --verbose streams the log", async () => {
    await writeFile(join(ws.flake, 'fail'), '');
    await writeFile(join(ws.flake, 'salt'), `${process.pid}-${Date.now()}-truth`);
    const res = await build({}, '--keep-going', '--verbose', '--only', 'x86_64-linux');
    expect(res.code).toBe(1);
    const key = 'demo-raw-efi-x86_64-linux';
    // Progress (line mode on a pipe): the failure with Nix's first error line.
    expect(res.stderr).toMatch(
      new RegExp(
        `\\[${key}\\] failed in [\\d.]+s: error: builder for '.*-demo-raw-efi\\.drv' failed`,
      ),
    );
    // --verbose: the build's own lines as they came, prefixed with their image.
    expect(res.stderr).toContain(`[${key}] the disk image step failed on purpose`);
    expect(res.stderr).toMatch(/\[demo-iso-x86_64-linux\] building iso for x86_64-linux/);
    // Summary: the image, Nix's first error lines, its log.
    const summary = res.stdout.slice(res.stdout.indexOf('image(s) failed:'));
    expect(summary).toMatch(
      new RegExp(`${key}: error: builder for '.*-demo-raw-efi\\.drv' failed`),
    );
    expect(summary).toContain(`log: ${join(ws.dir, 'dist', 'logs', `${key}.log`)}`);
    const log = await readFile(join(ws.dir, 'dist', 'logs', `${key}.log`), 'utf8');
    expect(log).toContain('the disk image step failed on purpose');
    expect(log).toMatch(/error: builder for '.*-demo-raw-efi\.drv' failed/);
  });
});
