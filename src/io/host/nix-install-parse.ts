// Decides how Nix was installed from what the probe saw. Pure, so recorded
// probe outputs (a `dpkg -S` line, a `nix --version` text, the marker files
// that existed) replay through exactly the code the live probe uses.
import type { InstallMethod, Kernel, NixInstall } from './facts.js';

export type OwnerManager = 'dpkg' | 'rpm' | 'pacman';

/** What the probe saw; every field is something a user can check by hand. */
export interface InstallEvidence {
  kernel: Kernel;
  /** stdout of `nix --version`, null when it did not run. */
  versionText: string | null;
  /** The nix that was found (PATH or a well-known place). */
  nixPath: string;
  /** Its real path (links resolved), null when that failed. */
  realPath: string | null;
  /** The package manager's answer for the real path, when it is outside /nix/store. */
  owner: { manager: OwnerManager; output: string } | null;
  distroId: string | null;
  isNixOS: boolean;
  mode: 'daemon' | 'single-user' | 'unknown';
  /** Which of MARKER_PATHS exist. */
  markers: string[];
}

/** Files whose existence names an installer; the probe checks each one. */
export const MARKERS = {
  /** nix-darwin's activation check looks for this very file to detect Determinate. */
  determinateNixd: '/usr/local/bin/determinate-nixd',
  determinateLaunchd: '/Library/LaunchDaemons/systems.determinate.nix-daemon.plist',
  determinateSystemd: '/etc/systemd/system/determinate-nixd.socket',
  /** Written by the nix-installer (Determinate Systems), for upstream Nix too. */
  installerReceipt: '/nix/receipt.json',
  officialLaunchd: '/Library/LaunchDaemons/org.nixos.nix-daemon.plist',
  officialSystemd: '/etc/systemd/system/nix-daemon.service',
  /** nix-darwin links /etc/nix/nix.conf here when it manages Nix (nix.enable). */
  nixDarwinConf: '/etc/static/nix/nix.conf',
} as const;
export const MARKER_PATHS: readonly string[] = Object.values(MARKERS);

/** The package that owns a file, from the manager's own output. */
export function parseOwner(manager: OwnerManager, output: string): string | null {
  const first = output.split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
  if (manager === 'dpkg') {
    // "nix-bin: /usr/bin/nix" or, multi-arch, "nix-bin:amd64: /usr/bin/nix";
    // "diversion by ..." lines name no owner.
    const line = output
      .split(/\r?\n/)
      .find((l) => /^[a-z0-9][a-z0-9+.-]*(:[a-z0-9]+)?: \//.test(l));
    return line ? line.split(':')[0]! : null;
  }
  if (manager === 'rpm') {
    // Queried with --queryformat '%{NAME}\n'; "file ... is not owned by any package" otherwise.
    return /^[A-Za-z0-9][\w+.-]*$/.test(first.trim()) ? first.trim() : null;
  }
  // pacman -Qo: "/usr/bin/nix is owned by nix 2.24.10-1"
  return /is owned by (\S+) /.exec(first)?.[1] ?? null;
}

const has = (e: InstallEvidence, path: string) => e.markers.includes(path);

function determinateEvidence(e: InstallEvidence): string[] {
  const found: string[] = [];
  if (e.versionText && /\(Determinate Nix [^)]*\)/.test(e.versionText)) {
    found.push(`nix --version: ${e.versionText.trim()}`);
  }
  for (const m of [
    MARKERS.determinateNixd,
    MARKERS.determinateLaunchd,
    MARKERS.determinateSystemd,
  ]) {
    if (has(e, m)) found.push(`${m} exists`);
  }
  return found;
}

function result(
  method: InstallMethod,
  evidence: string[],
  distro: NixInstall['distro'] = null,
): NixInstall {
  return { method, distro, evidence };
}

function underNixStore(path: string | null): boolean {
  return path !== null && path.startsWith('/nix/store/');
}

function officialMethod(e: InstallEvidence): NixInstall | null {
  const fromProfile =
    e.nixPath.startsWith('/nix/var/nix/profiles/') ||
    e.nixPath.includes('/.nix-profile/') ||
    underNixStore(e.realPath);
  if (!fromProfile) return null;
  const evidence = [`nix is ${e.nixPath}${e.realPath ? ` -> ${e.realPath}` : ''}`];
  if (has(e, MARKERS.installerReceipt)) evidence.push(`${MARKERS.installerReceipt} exists`);
  const unit = e.kernel === 'darwin' ? MARKERS.officialLaunchd : MARKERS.officialSystemd;
  if (has(e, unit)) evidence.push(`${unit} exists`);
  if (e.mode === 'daemon' || has(e, unit)) {
    return result('official-daemon', [...evidence, `daemon mode (${e.mode})`]);
  }
  if (e.mode === 'single-user') {
    return result('official-single-user', [...evidence, '/nix/store is owned by this user']);
  }
  return null;
}

export function classifyInstall(e: InstallEvidence): NixInstall {
  const determinate = determinateEvidence(e);
  if (determinate.length > 0) return result('determinate', determinate);
  if (e.versionText && /\bLix\b/.test(e.versionText)) {
    return result('lix', [`nix --version: ${e.versionText.trim()}`]);
  }
  if (e.isNixOS) return result('nixos', ['/etc/NIXOS or os-release ID=nixos']);
  if (e.kernel === 'darwin' && has(e, MARKERS.nixDarwinConf)) {
    return result('nix-darwin', [`${MARKERS.nixDarwinConf} exists (nix-darwin manages Nix)`]);
  }
  if (e.owner && !underNixStore(e.realPath)) {
    const pkg = parseOwner(e.owner.manager, e.owner.output);
    if (pkg) {
      const where = e.realPath ?? e.nixPath;
      return result('distro', [`${e.owner.manager} says ${where} belongs to ${pkg}`], {
        id: e.distroId ?? 'unknown',
        package: pkg,
        manager: e.owner.manager,
      });
    }
  }
  return (
    officialMethod(e) ??
    result('unknown', [`nix is ${e.nixPath}${e.realPath ? ` -> ${e.realPath}` : ''}`])
  );
}

/** The one line that says how Nix is installed, for summaries. */
export function describeInstall(install: NixInstall | undefined): string {
  if (!install) return 'install method not recorded';
  switch (install.method) {
    case 'official-daemon':
      return 'official installer, multi-user (daemon)';
    case 'official-single-user':
      return 'official installer, single-user';
    case 'determinate':
      return 'Determinate Nix';
    case 'lix':
      return 'Lix';
    case 'distro':
      return `${install.distro?.id ?? 'distribution'} package ${install.distro?.package ?? '?'}`;
    case 'nix-darwin':
      return 'managed by nix-darwin';
    case 'nixos':
      return 'NixOS';
    case 'unknown':
      return 'install method unknown';
  }
}
