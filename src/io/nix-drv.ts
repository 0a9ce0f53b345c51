// The nix calls behind `extract apply`'s behaviour proof: the drvPath of
// every system and home configuration of a flake, in ONE `nix eval` per
// state, and the derivations behind two drvPaths, to say what differs.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { nix, NixError } from './nix.js';
import { which } from './proc.js';

/**
 * A fixed wrapper flake: its one input is the flake under test, given with
 * --override-input (so no path is ever spliced into Nix text), and the
 * shared flake is pinned inside it with a nested override. Absent attribute
 * sets count as empty: a flake may have no darwin or home configurations.
 */
const WRAPPER = `{
  description = "crossflake extract apply: the drvPath of every configuration of one flake";
  inputs.flake.url = "path:/var/empty";
  outputs = { flake, ... }:
    let
      each = attr: pick:
        if flake ? \${attr} then builtins.mapAttrs (_: pick) flake.\${attr} else { };
    in {
      drvPaths = {
        nixosConfigurations = each "nixosConfigurations" (c: c.config.system.build.toplevel.drvPath);
        darwinConfigurations = each "darwinConfigurations" (c: c.system.drvPath);
        homeConfigurations = each "homeConfigurations" (c: c.activationPackage.drvPath);
      };
    };
}
`;

/** The three attribute sets, each configuration name to its drvPath. */
export type DrvPathSets = Record<string, Record<string, string>>;

export type EvalOutcome =
  { ok: true; drvPaths: DrvPathSets } | { ok: false; reason: string; unfetchable: boolean };

/** Nix's own failure, in one line: its last `error:` line (and the line it introduces). */
export function nixErrorLine(error: unknown): string {
  const text = error instanceof NixError ? error.stderr : String(error);
  const lines = text
    .trim()
    .split('\n')
    .filter((l) => l.trim() !== '');
  const at = lines.findLastIndex((l) => l.startsWith('error:'));
  const first = lines[at >= 0 ? at : lines.length - 1] ?? 'unknown error';
  // "The option `x' does not exist. Definition values:" names the file on its next line.
  const next = first.endsWith(':') ? lines[(at >= 0 ? at : lines.length - 1) + 1] : undefined;
  return `${first.replace(/^error:\s*/, '').trim()}${next ? ` ${next.trim()}` : ''}`;
}

// What Nix says when an input cannot be fetched (offline, gone, unreachable),
// as opposed to a configuration that does not evaluate.
const UNFETCHABLE =
  /unable to download|resolve host|failed to connect|unable to access|cannot fetch|connection refused|timed out|Cannot find Git revision|not a valid URL/i;

/** Flake references are URLs: only plain path characters are passed, anything else is refused. */
function pathRef(dir: string): string {
  if (!/^\/[\w./+~@-]*$/.test(dir))
    throw new Error(`cannot name ${JSON.stringify(dir)} as a flake path`);
  return `path:${dir}`;
}

export async function nixInstalled(env: NodeJS.ProcessEnv): Promise<boolean> {
  return which('nix', env) !== null;
}

/**
 * The drvPath of every configuration of the flake in `flakeDir`, with its
 * input `input` replaced by the flake in `sharedDir`. `workDir` is a
 * directory of the caller's where the wrapper flake is written.
 */
export async function configurationDrvPaths(
  flakeDir: string,
  input: string,
  sharedDir: string,
  workDir: string,
  env: NodeJS.ProcessEnv,
): Promise<EvalOutcome> {
  const wrapper = join(workDir, 'drv-paths');
  await mkdir(wrapper, { recursive: true });
  await writeFile(join(wrapper, 'flake.nix'), WRAPPER);
  const args = [
    'eval',
    '--json',
    '--no-write-lock-file',
    '--override-input',
    'flake',
    pathRef(flakeDir),
    // Nix only warns when the flake has no such input yet (the step adds it).
    '--override-input',
    `flake/${input}`,
    pathRef(sharedDir),
    `${pathRef(wrapper)}#drvPaths`,
  ];
  try {
    const result = await nix(args, { env, timeoutMs: 900_000 });
    return { ok: true, drvPaths: JSON.parse(result.stdout.toString('utf8')) as DrvPathSets };
  } catch (error) {
    const reason = nixErrorLine(error);
    return { ok: false, reason, unfetchable: UNFETCHABLE.test(reason) };
  }
}

/** One derivation as `nix show-derivation` prints it (Nix 2.8 and later). */
export interface ShownDerivation {
  outputs: Record<string, { path?: string }>;
  inputSrcs: string[];
  inputDrvs: Record<string, string[] | { outputs?: string[] }>;
  system?: string;
  builder: string;
  args: string[];
  env: Record<string, string>;
}

/**
 * The derivations and every derivation they depend on, keyed by drvPath.
 * Nix 2.8 calls it `show-derivation`; later Nix `derivation show` (the old
 * name stays an alias for a while, then goes).
 */
export async function showDerivations(
  drvPaths: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<Record<string, ShownDerivation>> {
  const options = { env, timeoutMs: 300_000 };
  let result;
  try {
    result = await nix(['show-derivation', '--recursive', ...drvPaths], options);
  } catch (error) {
    if (!(error instanceof NixError) || !/show-derivation/.test(error.stderr)) throw error;
    result = await nix(['derivation', 'show', '--recursive', ...drvPaths], options);
  }
  return JSON.parse(result.stdout.toString('utf8')) as Record<string, ShownDerivation>;
}
