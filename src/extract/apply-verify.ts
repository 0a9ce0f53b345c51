// `extract apply`'s behaviour proof, the effectful half: the personal flake's
// configurations are evaluated before and after the step (the shared flake
// pinned to the matching state of its repository), and the step may commit
// only when every drvPath is unchanged. verify.ts decides; this file reads.
import { join } from 'node:path';
import { exportTree } from '../io/git-export.js';
import { readAt } from '../io/git.js';
import {
  configurationDrvPaths,
  nixErrorLine,
  nixInstalled,
  showDerivations,
} from '../io/nix-drv.js';
import {
  changedConfigurations,
  firstDifference,
  flattenDrvPaths,
  type ConfigChange,
  type Verification,
} from './verify.js';

type Refused = Extract<Verification, { verified: false }>;

type RepoName = 'shared' | 'personal';

export interface ProofInput {
  dirs: Record<RepoName, string>;
  /** What each repository holds before the step (a commit). */
  before: Record<RepoName, string>;
  /** What each repository holds after it (a commit, a branch or a staged tree). */
  after: Record<RepoName, string>;
  /** The personal flake's input name for the shared flake. */
  input: string;
  /** A directory of this run's, removed by the caller. */
  workDir: string;
  env: NodeJS.ProcessEnv;
}

const NO_CONFIGURATIONS =
  'the personal flake has no nixosConfigurations, darwinConfigurations or homeConfigurations to compare';

async function exportState(
  p: ProofInput,
  state: 'before' | 'after',
): Promise<Record<RepoName, string>> {
  const out = { personal: '', shared: '' };
  for (const repo of ['personal', 'shared'] as const) {
    out[repo] = join(p.workDir, `${repo}-${state}`);
    await exportTree(p.dirs[repo], p[state][repo], out[repo], p.env);
  }
  return out;
}

async function evaluate(p: ProofInput, state: 'before' | 'after') {
  const trees = await exportState(p, state);
  return configurationDrvPaths(trees.personal, p.input, trees.shared, p.workDir, p.env);
}

/** The first changed configuration that exists on both sides, explained. */
async function explain(
  changed: ConfigChange[],
  env: NodeJS.ProcessEnv,
): Promise<Pick<Refused, 'first' | 'unexplained'>> {
  const both = changed.find((c) => c.before !== null && c.after !== null);
  if (!both) return { first: null };
  try {
    const before = await showDerivations([both.before!], env);
    const after = await showDerivations([both.after!], env);
    const found = firstDifference(both.before!, both.after!, before, after);
    return { first: found ? { configuration: both.name, ...found } : null };
  } catch (error) {
    // The refusal stands without the explanation; it says why there is none.
    return { first: null, unexplained: nixErrorLine(error) };
  }
}

export async function proveStep(p: ProofInput): Promise<Verification> {
  if (!(await nixInstalled(p.env))) return { verified: 'not-run', reason: 'nix is not installed' };
  // Without a lock, evaluating would fetch the newest inputs: a different system, not the user's.
  if (!(await readAt(p.dirs.personal, p.before.personal, 'flake.lock')))
    return {
      verified: 'not-run',
      reason:
        'the personal flake has no flake.lock, so its inputs are not pinned (run `nix flake lock` and commit it)',
    };
  const before = await evaluate(p, 'before');
  if (!before.ok)
    return {
      verified: 'not-run',
      reason: `${before.unfetchable ? 'inputs cannot be fetched' : 'the configurations do not evaluate before the step'}: ${before.reason}`,
    };
  const beforeDrvs = flattenDrvPaths(before.drvPaths);
  if (beforeDrvs.size === 0) return { verified: 'not-run', reason: NO_CONFIGURATIONS };
  const after = await evaluate(p, 'after');
  if (!after.ok) {
    if (after.unfetchable)
      return { verified: 'not-run', reason: `inputs cannot be fetched: ${after.reason}` };
    return { verified: false, changed: [], first: null, error: after.reason };
  }
  const changed = changedConfigurations(beforeDrvs, flattenDrvPaths(after.drvPaths));
  if (changed.length === 0) return { verified: true, configurations: [...beforeDrvs.keys()] };
  return { verified: false, changed, ...(await explain(changed, p.env)) };
}
