// The support matrix (data/platforms.json) and the matching of a host to its
// row. The JSON is bundled at build time, so TypeScript and Nix (which reads
// the same file with builtins.fromJSON) share one source of truth.
import data from '../../data/platforms.json' with { type: 'json' };
import type { Arch, HostFacts } from '../io/host/facts.js';
import { known } from '../io/host/facts.js';

export type PlatformRow = (typeof data.rows)[number] & {
  match: {
    kernel: 'linux' | 'darwin';
    environment: 'bare-metal' | 'wsl2';
    arch: 'x86_64' | 'aarch64';
  };
  status: 'supported' | 'experimental' | 'deprecated';
  runner: { label: string; kvm: boolean } | null;
  endOfSupport: { nixpkgs: string; notes: string } | null;
};

export const platformRows: readonly PlatformRow[] = data.rows as PlatformRow[];

export interface RowMatch {
  row: PlatformRow | null;
  /** How the host was read: e.g. "linux / wsl2 / x86_64". */
  key: string;
  /** Why no row matched, when none did. */
  reason: string | null;
}

/**
 * The CPU the machine really has. A Rosetta-translated process on Apple
 * Silicon reports x86_64, but the Mac (and its row) is aarch64.
 */
/** The facts a row is matched on (a narrower probe than doctor's gives these). */
export type RowFacts = Pick<HostFacts, 'os' | 'wsl' | 'macos'>;

export function hardwareArch(facts: RowFacts): Arch {
  const macos = known(facts.macos);
  if (macos?.appleSilicon) return 'aarch64';
  return facts.os.arch;
}

export function matchRow(facts: RowFacts, rows: readonly PlatformRow[] = platformRows): RowMatch {
  const arch = hardwareArch(facts);
  const kernel = facts.os.kernel;
  const wsl = known(facts.wsl);
  if (kernel === 'linux' && wsl?.version === 1) {
    return noRow(`linux / wsl1 / ${arch}`, 'WSL1 has no real Linux kernel; Nix needs WSL2');
  }
  // Natively on Windows the row is the WSL2 one the machine will run.
  const environment = kernel === 'windows' || wsl?.version === 2 ? 'wsl2' : 'bare-metal';
  const matchKernel = kernel === 'windows' ? 'linux' : kernel;
  const key = `${kernel === 'windows' ? 'windows' : kernel} / ${environment} / ${arch}`;
  const row = rows.find(
    (r) =>
      r.match.kernel === matchKernel &&
      r.match.environment === environment &&
      r.match.arch === arch,
  );
  if (row) return { row, key, reason: null };
  if (kernel === 'other' || arch === 'other') {
    return noRow(
      key,
      `${facts.os.nodePlatform}/${facts.os.nodeArch} is not a platform Nix supports here`,
    );
  }
  return noRow(key, 'no row of the support matrix covers this host');
}

function noRow(key: string, reason: string): RowMatch {
  return { row: null, key, reason };
}

export function rowById(id: string): PlatformRow | undefined {
  return platformRows.find((r) => r.id === id);
}
