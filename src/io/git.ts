// The git effects extract apply needs, as argument arrays (never a shell).
import { lstat } from 'node:fs/promises';
import { run } from './proc.js';

export class GitError extends Error {
  constructor(args: string[], stderr: string) {
    super(`git ${args.join(' ')} failed: ${stderr.trim().split('\n').slice(-4).join('\n')}`);
    this.name = 'GitError';
  }
}

export async function git(cwd: string, args: string[], env?: NodeJS.ProcessEnv): Promise<string> {
  const res = await run('git', args, { cwd, env: env ?? process.env, timeoutMs: 60_000 });
  if (res.failure === 'not-found') throw new GitError(args, 'git is not installed');
  if (res.code !== 0) throw new GitError(args, res.stderr.toString('utf8') || res.failure || '');
  return res.stdout.toString('utf8');
}

export async function gitOk(cwd: string, args: string[]): Promise<boolean> {
  const res = await run('git', args, { cwd, timeoutMs: 60_000 });
  return res.code === 0;
}

export async function topLevel(dir: string): Promise<string | null> {
  const res = await run('git', ['rev-parse', '--show-toplevel'], { cwd: dir, timeoutMs: 30_000 });
  return res.code === 0 ? res.stdout.toString('utf8').trim() : null;
}

/** `git status --porcelain` lines; untracked files count, since a step must not mix with them. */
export async function dirtyPaths(dir: string): Promise<string[]> {
  return (await git(dir, ['status', '--porcelain', '--untracked-files=all']))
    .split('\n')
    .filter(Boolean);
}

export async function head(dir: string): Promise<{ sha: string; branch: string | null }> {
  const sha = (await git(dir, ['rev-parse', 'HEAD'])).trim();
  const res = await run('git', ['symbolic-ref', '--quiet', '--short', 'HEAD'], {
    cwd: dir,
    timeoutMs: 30_000,
  });
  return { sha, branch: res.code === 0 ? res.stdout.toString('utf8').trim() : null };
}

export async function branchSha(dir: string, branch: string): Promise<string | null> {
  const res = await run('git', ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`], {
    cwd: dir,
    timeoutMs: 30_000,
  });
  return res.code === 0 ? res.stdout.toString('utf8').trim() : null;
}

/** True when a commit on `branch` (newest 200) carries the trailer line. */
export async function branchHasTrailer(
  dir: string,
  branch: string,
  trailer: string,
): Promise<boolean> {
  const log = await git(dir, ['log', '--format=%B', '-n', '200', `refs/heads/${branch}`]);
  return log.split('\n').some((l) => l.trim() === trailer);
}

export async function readAt(dir: string, rev: string, path: string): Promise<Buffer | null> {
  const res = await run('git', ['show', `${rev}:${path}`], { cwd: dir, timeoutMs: 30_000 });
  return res.code === 0 ? res.stdout : null;
}

export interface Worktree {
  path: string;
  /** The branch checked out there (without refs/heads/), or null when detached or bare. */
  branch: string | null;
}

/** Every worktree of the repository, the main one first (`git worktree list --porcelain -z`). */
export async function worktrees(dir: string): Promise<Worktree[]> {
  const out = await git(dir, ['worktree', 'list', '--porcelain', '-z']);
  const list: Worktree[] = [];
  for (const field of out.split('\0')) {
    if (field.startsWith('worktree ')) list.push({ path: field.slice(9), branch: null });
    else if (field.startsWith('branch refs/heads/') && list.length > 0)
      list[list.length - 1]!.branch = field.slice(18);
  }
  return list;
}

/** The repository's common git directory (shared by all its worktrees), absolute. */
export async function commonGitDir(dir: string): Promise<string> {
  return (await git(dir, ['rev-parse', '--path-format=absolute', '--git-common-dir'])).trim();
}

/** True when the repository has at least one commit. */
export async function hasCommit(dir: string): Promise<boolean> {
  const res = await run('git', ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], {
    cwd: dir,
    timeoutMs: 30_000,
  });
  return res.code === 0;
}

const IN_PROGRESS: [string, string][] = [
  ['MERGE_HEAD', 'a merge'],
  ['rebase-merge', 'a rebase'],
  ['rebase-apply', 'a rebase or am'],
  ['CHERRY_PICK_HEAD', 'a cherry-pick'],
  ['REVERT_HEAD', 'a revert'],
  ['BISECT_LOG', 'a bisect'],
];

/** The operation (merge, rebase, ...) the worktree is in the middle of, or null. */
export async function operationInProgress(dir: string): Promise<string | null> {
  const args = ['rev-parse', '--path-format=absolute'];
  for (const [name] of IN_PROGRESS) args.push('--git-path', name);
  const paths = (await git(dir, args)).split('\n');
  for (const [i, [, what]] of IN_PROGRESS.entries()) {
    const path = paths[i];
    if (
      path &&
      (await lstat(path).then(
        () => true,
        () => false,
      ))
    )
      return what;
  }
  return null;
}
