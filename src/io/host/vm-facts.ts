// The few host facts `crossflake vm` decides on: the OS and CPU, WSL, KVM,
// and on macOS Apple Silicon and Rosetta. Doctor's full probe also asks Nix
// about itself (processes that take a second on a busy machine) and reads
// disks and distro files a VM decision never looks at; this one reads a few
// files under /proc and /dev (one sysctl on macOS) with the same probes.
import type { HostFacts, Probed } from './facts.js';
import { UNKNOWN } from './facts.js';
import { osFacts, withTimeout } from './os.js';
import { probeVirt, probeWsl } from './linux.js';
import { probeMacos } from './macos.js';

/** What chooseAccelerator and the row match read; a full HostFacts is one too. */
export type VmHostFacts = Pick<HostFacts, 'os' | 'wsl' | 'macos' | 'virt'>;

async function orUnknown<T>(probe: () => Promise<T>, timeoutMs: number): Promise<Probed<T>> {
  try {
    return await withTimeout(probe(), timeoutMs);
  } catch {
    return UNKNOWN;
  }
}

export async function collectVmFacts(
  env: NodeJS.ProcessEnv,
  timeoutMs = 10_000,
): Promise<VmHostFacts> {
  const os = osFacts();
  const linux = os.kernel === 'linux';
  const [wsl, virt, macos] = await Promise.all([
    linux ? orUnknown(() => probeWsl(os.release, env), timeoutMs) : null,
    linux ? orUnknown(() => probeVirt(), timeoutMs) : null,
    os.kernel === 'darwin' ? orUnknown(() => probeMacos(), timeoutMs) : null,
  ]);
  return { os, wsl, virt, macos };
}
