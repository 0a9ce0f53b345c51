// Which input of the team's flake is crossflake's own flake, so that CI runs
// the CLI at the revision the team's flake.lock pins (`nix run --inputs-from .
// <input>#crossflake`). Named by ci.crossflakeInput, or found in flake.lock:
// the direct input whose source is a repository (or directory) called
// crossflake, or the input called crossflake. Pure: takes flake.lock's text.
import { UserError } from '../command.js';

const INPUT_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

interface LockNode {
  original?: Record<string, unknown>;
  locked?: Record<string, unknown>;
}
interface LockFile {
  root?: string;
  nodes?: Record<string, LockNode & { inputs?: Record<string, unknown> }>;
}

/** The root's direct inputs (not `follows` entries) and their lock nodes. */
function directInputs(lock: LockFile): [string, LockNode][] {
  const nodes = lock.nodes ?? {};
  const root = nodes[lock.root ?? 'root'];
  return Object.entries(root?.inputs ?? {})
    .filter((entry): entry is [string, string] => typeof entry[1] === 'string')
    .map(([name, id]) => [name, nodes[id] ?? {}]);
}

const CROSSFLAKE_SOURCE = /(^|[/:])crossflake(\.git)?\/?$/;

function isCrossflakeSource(node: LockNode): boolean {
  return [node.original, node.locked].some((src) => {
    if (!src) return false;
    if (src.repo === 'crossflake') return true;
    return ['url', 'path'].some(
      (k) => typeof src[k] === 'string' && CROSSFLAKE_SOURCE.test(src[k]),
    );
  });
}

function parseLock(lockText: string): LockFile {
  try {
    return JSON.parse(lockText) as LockFile;
  } catch (error) {
    throw new UserError(
      `flake.lock is not valid JSON (${(error as Error).message}): run nix flake lock`,
    );
  }
}

/**
 * The input name, or null when the flake has none (then only steps that run
 * crossflake need one, and they say so). `lockText` is null without flake.lock.
 */
export function crossflakeInput(configured: string | null, lockText: string | null): string | null {
  const inputs = lockText === null ? [] : directInputs(parseLock(lockText));
  if (configured !== null) {
    if (!INPUT_NAME.test(configured))
      throw new UserError(`ci.crossflakeInput ${JSON.stringify(configured)} is not an input name`);
    if (lockText !== null && !inputs.some(([name]) => name === configured)) {
      throw new UserError(
        `ci.crossflakeInput names ${configured}, which flake.lock has no direct input for: add it to flake.nix and run nix flake lock`,
      );
    }
    return configured;
  }
  const found = inputs.filter(([name, node]) => name === 'crossflake' || isCrossflakeSource(node));
  const names = found.map(([name]) => name).filter((name) => INPUT_NAME.test(name));
  if (names.length <= 1) return names[0] ?? null;
  if (names.includes('crossflake')) return 'crossflake';
  throw new UserError(
    `flake.lock has several inputs that look like crossflake (${names.join(', ')}): name one in ci.crossflakeInput in crossflake.json`,
  );
}
