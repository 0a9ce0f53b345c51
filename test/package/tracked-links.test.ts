// The repository tracks no symbolic links. A worktree's `node_modules` or
// `.cache` linked to another checkout was committed twice by `git add -A`
// (the ignore rules then named directories only): a checkout of that commit
// replaced the real, ignored directories with links to themselves. The
// ignore rules now name links too; this holds the tree to it.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('tracked files', () => {
  it('no symbolic link is tracked (git mode 120000)', () => {
    const entries = execFileSync('git', ['ls-files', '--stage'], { encoding: 'utf8' });
    const links = entries
      .split('\n')
      .filter((line) => line.startsWith('120000 '))
      .map((line) => line.split('\t')[1]);
    expect(links).toEqual([]);
  });
});
