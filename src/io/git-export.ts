// A commit's or a tree's files, written into a fresh directory without
// touching the repository's index, working tree or refs: a temporary index
// file outside the repository is filled and checked out under a prefix.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { git } from './git.js';

/** Writes the tracked files of `treeish` (a commit or tree id) into `dest`, a new directory. */
export async function exportTree(
  repoDir: string,
  treeish: string,
  dest: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  await mkdir(dirname(dest), { recursive: true });
  const indexDir = await mkdtemp(`${dest}-index-`);
  const indexEnv = { ...env, GIT_INDEX_FILE: join(indexDir, 'index') };
  try {
    await git(repoDir, ['read-tree', treeish], indexEnv);
    // The trailing slash makes the prefix a directory; symlinks and modes come along.
    await git(repoDir, ['checkout-index', '--all', `--prefix=${dest}/`], indexEnv);
  } finally {
    await rm(indexDir, { recursive: true, force: true });
  }
}

/** The tree of what is staged in a worktree: the step's files exactly as they would be committed. */
export async function stagedTree(worktree: string): Promise<string> {
  return (await git(worktree, ['write-tree'])).trim();
}
