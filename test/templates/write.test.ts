import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { removeStaleTemps, TargetError, TEMP_MARK, writeTree } from '../../src/templates/write.js';
import { scratchDirs } from '../helpers/scratch.js';

const { fresh } = await scratchDirs('cf-write-');
const files = new Map([
  ['flake.nix', '{ }\n'],
  ['hosts/box/default.nix', '{ ... }: { }\n'],
]);

/** A pid that certainly belonged to a process that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((resolve) => child.on('exit', resolve));
  return child.pid as number;
}

describe('writing a template atomically', () => {
  it('creates an absent target with every file, and leaves no temporary directory', async () => {
    const parent = await fresh();
    const result = await writeTree(join(parent, 'cfg'), files);
    expect(result).toMatchObject({ mode: 'created', files: ['flake.nix', 'hosts/box/default.nix'], replaced: [] });
    expect(await readFile(join(parent, 'cfg', 'hosts', 'box', 'default.nix'), 'utf8')).toBe('{ ... }: { }\n');
    expect(await readdir(parent)).toEqual(['cfg']);
    expect((await stat(join(parent, 'cfg'))).mode & 0o777).toBe(0o755);
  });

  it('fills an empty directory', async () => {
    const parent = await fresh();
    await mkdir(join(parent, 'cfg'));
    expect((await writeTree(join(parent, 'cfg'), files)).mode).toBe('created');
    expect(await readdir(join(parent, 'cfg'))).toEqual(['flake.nix', 'hosts']);
  });

  it('refuses a non-empty directory without force, and touches nothing', async () => {
    const parent = await fresh();
    await mkdir(join(parent, 'cfg'));
    await writeFile(join(parent, 'cfg', 'flake.nix'), 'mine');
    await expect(writeTree(join(parent, 'cfg'), files)).rejects.toThrow(/is not empty; use --force/);
    expect(await readFile(join(parent, 'cfg', 'flake.nix'), 'utf8')).toBe('mine');
    expect(await readdir(parent)).toEqual(['cfg']);
  });

  it('with force, replaces the template files and keeps the others', async () => {
    const parent = await fresh();
    await mkdir(join(parent, 'cfg', '.git'), { recursive: true });
    await writeFile(join(parent, 'cfg', 'flake.nix'), 'mine');
    await writeFile(join(parent, 'cfg', 'notes.txt'), 'keep me');
    const result = await writeTree(join(parent, 'cfg'), files, { force: true });
    expect(result).toMatchObject({ mode: 'merged', replaced: ['flake.nix'] });
    expect(await readFile(join(parent, 'cfg', 'flake.nix'), 'utf8')).toBe('{ }\n');
    expect(await readFile(join(parent, 'cfg', 'notes.txt'), 'utf8')).toBe('keep me');
    expect((await readdir(join(parent, 'cfg'))).sort()).toEqual(['.git', 'flake.nix', 'hosts', 'notes.txt']);
    expect(await readdir(parent)).toEqual(['cfg']);
  });

  it('never renames over the working directory, even an empty one', async () => {
    const cwd = join(await fresh(), 'here');
    await mkdir(cwd);
    const before = (await stat(cwd)).ino;
    expect((await writeTree(cwd, files, { cwd })).mode).toBe('merged');
    expect((await stat(cwd)).ino).toBe(before);
  });

  it('refuses a file or a symbolic link as the target', async () => {
    const parent = await fresh();
    await writeFile(join(parent, 'file'), 'x');
    await expect(writeTree(join(parent, 'file'), files)).rejects.toThrow(TargetError);
    await mkdir(join(parent, 'real'));
    await symlink(join(parent, 'real'), join(parent, 'link'));
    await expect(writeTree(join(parent, 'link'), files)).rejects.toThrow(/symbolic link/);
  });

  it("removes a killed run's temporary directory, keeps a running one's", async () => {
    const parent = await fresh();
    const dead = join(parent, `.cfg${TEMP_MARK}${await deadPid()}-abc`);
    const alive = join(parent, `.cfg${TEMP_MARK}${process.ppid}-def`);
    const otherName = join(parent, `.other${TEMP_MARK}1-x`);
    for (const d of [dead, alive, otherName]) await mkdir(join(d, 'half'), { recursive: true });
    expect(await removeStaleTemps(join(parent, 'cfg'))).toEqual([dead]);
    expect((await readdir(parent)).sort()).toEqual([alive, otherName].map((p) => p.slice(parent.length + 1)).sort());
  });

  it('a failure while writing removes the temporary directory', async () => {
    const parent = await fresh();
    // Two entries for one path: the second write fails (files are created exclusively).
    const clash = new Map([
      ['a', 'x'],
      ['a/b', 'y'],
    ]);
    await expect(writeTree(join(parent, 'cfg'), clash)).rejects.toThrow();
    expect(await readdir(parent)).toEqual([]);
  });
});
