// Which of a flake's NixOS configurations this host can boot as a VM, and
// how. Pure: the configurations come from `nix eval` (src/io/vm/nix-vm.ts), the
// host from the virtualisation facts (src/io/host/vm-facts.ts).
import type { VmHostFacts } from '../io/host/vm-facts.js';
import { matchRow } from '../platforms/index.js';
import { chooseAccelerator, type Accelerator } from './accelerator.js';

/** What `nix eval` tells about one configuration. */
export interface VmConfig {
  name: string;
  /** The guest's system (x86_64-linux, aarch64-linux). */
  system: string;
  /** crossflake.vm.hostSystem when the configuration sets it: the runner is built for that. */
  hostSystem: string | null;
  /** config.system.build.vm exists. */
  hasVm: boolean;
}

export type VmRun = 'native' | 'emulated' | 'no';

export interface VmEntry {
  name: string;
  system: string;
  runs: VmRun;
  accelerator: Accelerator | null;
  /** Why it runs that way, or what to change so that it runs. */
  note: string;
}

export function classifyVms(facts: VmHostFacts, configs: readonly VmConfig[]): VmEntry[] {
  const hostSystem = matchRow(facts).row?.nixSystem ?? null;
  return configs
    .filter((c) => c.hasVm)
    .map((c) => entry(facts, hostSystem, c))
    .sort((a, b) => a.name.localeCompare(b.name));
}

function entry(facts: VmHostFacts, hostSystem: string | null, c: VmConfig): VmEntry {
  const choice = chooseAccelerator(facts, c.system);
  const base = { name: c.name, system: c.system };
  if (choice.accelerator === null) {
    return { ...base, runs: 'no', accelerator: null, note: choice.reason };
  }
  const runner = c.hostSystem ?? c.system;
  if (hostSystem !== null && runner !== hostSystem) {
    return {
      ...base,
      runs: 'no',
      accelerator: null,
      note: `its runner is built for ${runner}; set crossflake.vm.hostSystem = "${hostSystem}" in it`,
    };
  }
  return {
    ...base,
    // "native" means at hardware speed: a guest of the host's own CPU without
    // an accelerator is as slow as an emulated one.
    runs: choice.accelerator === 'tcg' ? 'emulated' : 'native',
    accelerator: choice.accelerator,
    note: choice.warning ?? choice.reason,
  };
}
