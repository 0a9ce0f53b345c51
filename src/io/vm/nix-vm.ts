// The two Nix calls `crossflake vm` makes: one evaluation that lists every
// NixOS configuration with its system and whether it has a VM runner, and one
// build of the runner. The configuration name travels as an attribute path
// string, checked by the caller; nothing is spliced into Nix source.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { EXIT, UserError } from '../../command.js';
import { nix, NixError, nixStream, type NixCallOptions } from '../nix.js';
import type { VmConfig } from '../../vm/list.js';

// Read as plain values; `or` keeps a configuration without crossflake's vm
// module (or a hand-made one) from failing the whole list.
const DESCRIBE = `cs: builtins.mapAttrs (name: c: {
  system = c.pkgs.stdenv.hostPlatform.system or c.config.nixpkgs.hostPlatform.system or null;
  hostSystem = c.config.crossflake.vm.hostSystem or null;
  hasVm = (c.config.system.build or {}) ? vm;
}) cs`;

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

export function vmInstallable(flake: string, name: string): string {
  return `${flake}#nixosConfigurations."${name}".config.system.build.vm`;
}

export interface RunnerBuild {
  /** result/bin/run-<name>-vm, or null when the build failed. */
  runner: string | null;
  /** Nix's own last lines when it failed. */
  error: string | null;
}

/** `nix build` of the VM runner, Nix's progress handed to `onLine` as it comes. */
export async function buildRunner(
  flake: string,
  name: string,
  options: NixCallOptions & { onLine?: (line: string) => void },
): Promise<RunnerBuild> {
  const tail: string[] = [];
  const result = await nixStream(
    [
      '--extra-experimental-features',
      'nix-command flakes',
      'build',
      '--no-link',
      '--json',
      vmInstallable(flake, name),
    ],
    {
      ...options,
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
      error: tail.join('\n').trim() || (result.failure ?? 'nix build failed'),
    };
  }
  const out = (JSON.parse(result.stdout) as { outputs: Record<string, string> }[])[0]?.outputs.out;
  if (!out) return { runner: null, error: 'nix build printed no output path' };
  const bin = join(out, 'bin');
  const runner = (await readdir(bin)).find((f) => /^run-.+-vm$/.test(f));
  return runner
    ? { runner: join(bin, runner), error: null }
    : { runner: null, error: `${bin} has no run-<name>-vm script` };
}
