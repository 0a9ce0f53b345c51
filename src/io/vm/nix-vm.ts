// The Nix calls `crossflake vm` makes: for `vm list`, one evaluation that
// lists every NixOS configuration with its system and whether it has a VM
// runner; for `vm run`/`vm test`, one evaluation of the named configuration
// alone and one build of its runner's derivation. The configuration name
// travels as an attribute path string, checked by the caller; nothing the
// user gives is spliced into Nix source.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { EXIT, UserError } from '../../command.js';
import { nix, NixError, nixStream, type NixCallOptions } from '../nix.js';
import type { VmConfig } from '../../vm/list.js';

// One configuration read as plain values; `or` keeps a configuration without
// crossflake's vm module (or a hand-made one) from failing the whole list.
const FACTS = `(c: {
  system = c.pkgs.stdenv.hostPlatform.system or c.config.nixpkgs.hostPlatform.system or null;
  hostSystem = c.config.crossflake.vm.hostSystem or null;
  hasVm = (c.config.system.build or {}) ? vm;
})`;

const DESCRIBE = `cs: builtins.mapAttrs (name: ${FACTS}) cs`;

interface Described {
  system: string | null;
  hostSystem: string | null;
  hasVm: boolean;
}

export async function listVmConfigs(flake: string, options: NixCallOptions): Promise<VmConfig[]> {
  const installable = `${flake}#nixosConfigurations`;
  let result;
  try {
    result = await nix(['eval', '--json', installable, '--apply', DESCRIBE], options);
  } catch (error) {
    // A flake without NixOS configurations has no VMs; anything else Nix
    // said is the user's to fix, in Nix's own words (one line each).
    if (error instanceof NixError && /does not provide attribute/.test(error.stderr)) return [];
    if (error instanceof NixError) throw new UserError(error.message, EXIT.failed);
    throw error;
  }
  const raw = JSON.parse(result.stdout.toString('utf8')) as Record<string, Described>;
  return Object.entries(raw).map(([name, d]) => ({
    name,
    system: d.system ?? 'unknown',
    hostSystem: d.hostSystem,
    hasVm: d.hasVm,
  }));
}

export interface VmTarget extends VmConfig {
  /** The runner's derivation (null without a runner): what `realiseRunner` builds. */
  drvPath: string | null;
}

// One configuration, read as plain values. The runner's drvPath comes from
// the same evaluation, so building it needs no second one (a NixOS system
// takes seconds to evaluate) and no other configuration is touched: one
// that fails to evaluate does not stop the VM of another.
const DESCRIBE_ONE = `c: let d = ${FACTS} c; in d // {
  drvPath = if d.hasVm then c.config.system.build.vm.drvPath else null;
}`;

interface DescribedOne extends Described {
  drvPath: string | null;
}

/** The named configuration, or null when the flake has none of that name. */
export async function describeVm(
  flake: string,
  name: string,
  options: NixCallOptions,
): Promise<VmTarget | null> {
  const installable = `${flake}#nixosConfigurations."${name}"`;
  let result;
  try {
    result = await nix(['eval', '--json', installable, '--apply', DESCRIBE_ONE], options);
  } catch (error) {
    if (error instanceof NixError && /does not provide attribute/.test(error.stderr)) return null;
    if (error instanceof NixError) throw new UserError(error.message, EXIT.failed);
    throw error;
  }
  const d = JSON.parse(result.stdout.toString('utf8')) as DescribedOne;
  return {
    name,
    system: d.system ?? 'unknown',
    hostSystem: d.hostSystem,
    hasVm: d.hasVm,
    drvPath: d.drvPath,
  };
}

export interface RunnerBuild {
  /** result/bin/run-<name>-vm, or null when the build failed. */
  runner: string | null;
  /** Nix's own last lines when it failed. */
  error: string | null;
}

/**
 * Builds the runner's derivation (a no-op when it is already in the store),
 * Nix's progress handed to `onLine` as it comes. `nix-store --realise` reads
 * a .drv path the same way in every Nix version; `nix build` changed its
 * reading of one in 2.13, and learning which Nix this is costs a process.
 */
export async function realiseRunner(
  drvPath: string,
  options: NixCallOptions & { onLine?: (line: string) => void },
): Promise<RunnerBuild> {
  const tail: string[] = [];
  const nixStore = (options.nixBin ?? 'nix').replace(/nix$/, 'nix-store');
  const result = await nixStream(
    // No GC root, as `nix build --no-link` made none: the runner is used at once.
    ['--no-gc-warning', '--realise', drvPath],
    {
      ...options,
      nixBin: nixStore,
      onStderrLine: (line) => {
        tail.push(line);
        if (tail.length > 20) tail.shift();
        options.onLine?.(line);
      },
    },
  );
  if (result.code !== 0) {
    return {
      runner: null,
      error: tail.join('\n').trim() || (result.failure ?? 'nix-store --realise failed'),
    };
  }
  const outs = result.stdout.split('\n').filter(Boolean);
  for (const out of outs) {
    const bin = join(out, 'bin');
    const runner = (await readdir(bin).catch(() => [] as string[])).find((f) =>
      /^run-.+-vm$/.test(f),
    );
    if (runner) return { runner: join(bin, runner), error: null };
  }
  return {
    runner: null,
    error: outs.length
      ? `${outs.join(', ')} has no bin/run-<name>-vm script`
      : 'nix-store printed no output path',
  };
}
