// The refusal reasons of `extract apply`, as pure decisions over facts read
// from both repositories. Every reason is checked in both repositories before
// either is changed, so a step is never left applied on one side only
// because of something the other side could have told up front.

/** What `extract apply` knows about one repository before it changes anything. */
export interface RepoFacts {
  repo: 'personal' | 'shared';
  dir: string;
  hasCommit: boolean;
  /** The checked-out branch, or null on a detached HEAD. */
  headBranch: string | null;
  /** `git status --porcelain` lines. */
  dirty: string[];
  /** A merge, rebase, ... the repository is in the middle of. */
  operation: string | null;
}

/** The step branch in one repository, after crossflake's own leftovers were removed. */
export interface BranchFacts {
  branch: string;
  /** Its tip, or null when there is no such branch. */
  sha: string | null;
  /** A commit on it carries this step's trailer: the step is applied there. */
  hasTrailer: boolean;
  /** Worktrees (paths) that have it checked out. */
  checkedOutIn: string[];
  /** Files the step changes in this repository. */
  changes: number;
}

export type BranchAction = 'create' | 'already-applied' | 'unchanged';

/** Why this repository cannot take part in a step at all, or null. */
export function repoRefusal(f: RepoFacts): string | null {
  const what = `${f.repo} repo ${f.dir}`;
  if (!f.hasCommit) return `${what} has no commit yet; commit its files first`;
  if (f.headBranch === null) return `${what} is on a detached HEAD; check out a branch first`;
  if (f.operation) return `${what} is in the middle of ${f.operation}; finish or abort it first`;
  if (f.dirty.length > 0) {
    return `${what} has uncommitted changes (${f.dirty.length}, e.g. ${f.dirty[0]!.slice(3)}); commit or stash them first`;
  }
  return null;
}

/** What to do with the step branch in one repository, or why not. */
export function branchDecision(
  repo: RepoFacts['repo'],
  b: BranchFacts,
): { action: BranchAction } | { refusal: string } {
  if (b.sha !== null && b.hasTrailer) return { action: 'already-applied' };
  if (b.sha !== null) {
    // crossflake's own leftovers are gone by now, so this branch is someone's work.
    const where = b.checkedOutIn.length > 0 ? ` and is checked out in ${b.checkedOutIn[0]}` : '';
    return {
      refusal: `${repo} repo: branch ${b.branch} exists${where}, and crossflake did not make it (or it holds other commits); rename or delete it yourself first`,
    };
  }
  return { action: b.changes === 0 ? 'unchanged' : 'create' };
}
