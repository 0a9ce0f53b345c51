// Issue 14 classes for init, on real files and the built CLI: writing never
// follows a symbolic link out of the target, and what the file system
// refuses (a name too long, an unwritable parent, a concurrent init) is one
// line with exit 1 or 2, never a stack trace.
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { chmod, mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { placeTree, TargetError } from '../../src/templates/write.js';
import { BIN, cli, LOCAL_FLAKE } from './helpers.js';
import { scratchDirs } from '../helpers/scratch.js';

const { work, fresh } = await scratchDirs('cf-init-safety-');
const gitConfig = join(work, 'gitconfig');
await writeFile(gitConfig, '[user]\n\tname = Ada Lovelace\n\temail = ada@example.org\n');
const env = { GIT_CONFIG_GLOBAL: gitConfig, GIT_CONFIG_NOSYSTEM: '1' };
const init = (args: string[], cwd: string) =>
  cli(['init', ...args, '--non-interactive', '--flake', LOCAL_FLAKE], cwd, env);

function oneLine(stderr: string): string {
  const lines = stderr.trim().split('\n');
  expect(lines, stderr).toHaveLength(1);
  expect(stderr).not.toMatch(/internal error|\n\s+at /);
  return lines[0]!;
}

describe('init --force never writes through a symbolic link out of the target', () => {
  it('a directory link inside the target (hosts -> elsewhere): refused, naming the link; nothing outside changes', async () => {
    const cwd = await fresh();
    const elsewhere = join(cwd, 'elsewhere');
    await mkdir(join(elsewhere, 'box'), { recursive: true });
    await writeFile(join(elsewhere, 'box', 'default.nix'), 'not yours\n');
    await mkdir(join(cwd, 'cfg'));
    await writeFile(join(cwd, 'cfg', 'notes'), 'keep');
    await symlink(elsewhere, join(cwd, 'cfg', 'hosts'));
    const res = init(['bare-metal', 'cfg', '--force', '-p', 'hostname=box'], cwd);
    expect(res.status).toBe(2);
    expect(oneLine(res.stderr)).toContain(`${join(cwd, 'cfg', 'hosts')} is a symbolic link`);
    expect(await readFile(join(elsewhere, 'box', 'default.nix'), 'utf8')).toBe('not yours\n');
    expect(await readdir(join(elsewhere, 'box'))).toEqual(['default.nix']);
    // Refused before the first file moved: the target is as it was.
    expect((await readdir(join(cwd, 'cfg'))).sort()).toEqual(['hosts', 'notes']);
  });

  it('a file link as a template file (flake.nix -> a file elsewhere): refused, the file elsewhere and the link kept', async () => {
    const cwd = await fresh();
    await writeFile(join(cwd, 'outside.nix'), 'mine\n');
    await mkdir(join(cwd, 'cfg'));
    await symlink(join(cwd, 'outside.nix'), join(cwd, 'cfg', 'flake.nix'));
    const res = init(['wsl-home', 'cfg', '--force'], cwd);
    expect(res.status).toBe(2);
    expect(oneLine(res.stderr)).toMatch(/cfg\/flake\.nix is a symbolic link \(to .*outside\.nix\)/);
    expect(await readFile(join(cwd, 'outside.nix'), 'utf8')).toBe('mine\n');
  });
});

describe('init: what the file system refuses is one line, exit 1 or 2', () => {
  it('a name too long: exit 2', async () => {
    const cwd = await fresh();
    const res = init(['wsl-home', 'x'.repeat(300)], cwd);
    expect(res.status).toBe(2);
    expect(oneLine(res.stderr)).toMatch(/a name in this path is too long; choose a shorter one$/);
  });

  it('a long name that is still valid (250 bytes) is written, though its temp name would not fit', async () => {
    const cwd = await fresh();
    const res = init(['wsl-home', 'y'.repeat(250)], cwd);
    expect(res.status, res.stderr).toBe(0);
    expect(await readdir(cwd)).toEqual(['y'.repeat(250)]);
  });

  it('an unwritable parent: exit 1, naming the parent, nothing left behind', async () => {
    const cwd = await fresh();
    const parent = join(cwd, 'locked');
    await mkdir(parent);
    await chmod(parent, 0o555);
    await chmod(cwd, 0o755);
    await chmod(work, 0o755);
    // root may write anywhere: run as nobody then.
    const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const res = await new Promise<{ status: number | null; stderr: string }>((resolve) => {
      const child = spawn(
        process.execPath,
        [BIN, 'init', 'wsl-home', join(parent, 'cfg'), '--non-interactive', '--flake', LOCAL_FLAKE],
        { cwd, env: { ...process.env, ...env, HOME: cwd }, ...asNobody },
      );
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('close', (status) => resolve({ status, stderr }));
    });
    expect(res.status, res.stderr).toBe(1);
    expect(oneLine(res.stderr)).toMatch(
      new RegExp(`cannot write in ${parent} \\(EACCES\\); choose a directory you can write to$`),
    );
    expect(await readdir(parent)).toEqual([]);
  });

  it('another init fills the target between the check and the final rename: exit 1, nothing of this run left', async () => {
    const cwd = await fresh();
    const temp = join(cwd, '.cfg.tmp');
    await mkdir(temp);
    await writeFile(join(temp, 'flake.nix'), 'ours\n');
    await mkdir(join(cwd, 'cfg'));
    await writeFile(join(cwd, 'cfg', 'flake.nix'), 'theirs\n');
    const err = await placeTree(temp, join(cwd, 'cfg'), 'absent').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TargetError);
    expect((err as TargetError).exitCode).toBe(1);
    expect((err as Error).message).toMatch(
      /cfg was filled by another process while init ran; nothing written/,
    );
    expect(await readFile(join(cwd, 'cfg', 'flake.nix'), 'utf8')).toBe('theirs\n');
  });

  it('six concurrent inits into one directory: one writes it, each other one is one line with exit 1 or 2', async () => {
    const cwd = await fresh();
    const runs = await Promise.all(
      Array.from(
        { length: 6 },
        () =>
          new Promise<{ status: number | null; stderr: string }>((resolve) => {
            const child = spawn(
              process.execPath,
              [BIN, 'init', 'wsl-home', 'cfg', '--non-interactive', '--flake', LOCAL_FLAKE],
              {
                cwd,
                env: { ...process.env, ...env },
              },
            );
            let stderr = '';
            child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
            child.on('close', (status) => resolve({ status, stderr }));
          }),
      ),
    );
    expect(runs.filter((r) => r.status === 0)).toHaveLength(1);
    for (const r of runs.filter((x) => x.status !== 0)) {
      expect([1, 2]).toContain(r.status);
      oneLine(r.stderr);
    }
    expect(await readdir(cwd)).toEqual(['cfg']);
  }, 60_000);
});
