// HostFacts: everything crossflake learns about a machine, as plain JSON.
// Doctor, advise, onboard and images decide on this record alone, so a
// recorded file (`doctor --save-facts`) replays a host exactly.

/** A probe that failed or timed out reports this instead of a value. */
export const UNKNOWN = 'unknown' as const;
export type Unknown = typeof UNKNOWN;
export type Probed<T> = T | Unknown;

export type Kernel = 'linux' | 'darwin' | 'windows' | 'other';
export type Arch = 'x86_64' | 'aarch64' | 'other';

export interface OsFacts {
  kernel: Kernel;
  arch: Arch;
  /** Kernel release as the OS reports it (uname -r, Darwin version, Windows build). */
  release: string;
  /** Node's os.platform() and os.arch() verbatim, for bug reports. */
  nodePlatform: string;
  nodeArch: string;
}

export interface LinuxFacts {
  distroId: string | null;
  distroName: string | null;
  distroVersion: string | null;
  isNixOS: boolean;
  /** Name of PID 1 (/proc/1/comm): "systemd", "init", ... */
  pid1: string | null;
}

export interface WslFacts {
  /** 1 or 2 when inside WSL, null on a plain Linux. */
  version: 1 | 2 | null;
  distroName: string | null;
  interop: boolean;
  systemd: boolean;
}

export interface MacosFacts {
  productVersion: string | null;
  appleSilicon: boolean;
  /** The current process runs translated by Rosetta 2 (sysctl.proc_translated = 1). */
  rosetta: boolean;
  cpuBrand: string | null;
}

export interface WslDistro {
  name: string;
  state: string;
  version: number;
  isDefault: boolean;
}

export interface WindowsFacts {
  wslInstalled: boolean;
  /** "2.4.4.0" from `wsl.exe --version`; null for the inbox WSL that lacks --version. */
  wslVersion: string | null;
  kernelVersion: string | null;
  windowsVersion: string | null;
  defaultVersion: number | null;
  distros: WslDistro[];
  /** A hypervisor is present and usable for WSL2. */
  virtualization: Probed<boolean>;
}

export interface VirtFacts {
  kvmPresent: boolean;
  kvmUsable: boolean;
  nested: boolean | null;
}

export interface NixConfigFacts {
  experimentalFeatures: string[];
  substituters: string[];
  /** Absent in files recorded before it was read. */
  trustedPublicKeys?: string[];
  trustedUsers: string[];
  maxJobs: number | null;
  extraPlatforms: string[];
  systemFeatures: string[];
  builders: string;
  system: string | null;
  sandbox: string | null;
}

/** How Nix got onto this machine; every fix doctor prints depends on it. */
export type InstallMethod =
  | 'official-daemon'
  | 'official-single-user'
  | 'determinate'
  | 'lix'
  | 'distro'
  | 'nix-darwin'
  | 'nixos'
  | 'unknown';

export interface NixInstall {
  method: InstallMethod;
  /** For 'distro': the distribution (os-release ID) and the package that owns the nix binary. */
  distro: { id: string; package: string; manager: 'dpkg' | 'rpm' | 'pacman' } | null;
  /** What was seen that decided the method, one short line each (a path, a command's answer). */
  evidence: string[];
}

export interface NixFacts {
  present: boolean;
  version: string | null;
  path: string | null;
  mode: 'daemon' | 'single-user' | 'unknown';
  config: Probed<NixConfigFacts> | null;
  darwinRebuild: boolean;
  /** Absent in files recorded before it existed: read as method 'unknown'. */
  install?: NixInstall;
}

export interface ResourceFacts {
  cpus: number;
  memoryBytes: number;
  /** Free bytes on the file system that holds /nix (or the home directory before Nix exists). */
  storeDiskFreeBytes: Probed<number>;
  storeDiskPath: string;
}

export interface UserFacts {
  name: string;
  home: string;
  hostname: string;
}

export interface HostFacts {
  schema: 'crossflake.hostfacts/1';
  collectedAt: string;
  crossflakeVersion: string;
  os: OsFacts;
  user: UserFacts;
  linux: Probed<LinuxFacts> | null;
  wsl: Probed<WslFacts> | null;
  macos: Probed<MacosFacts> | null;
  windows: Probed<WindowsFacts> | null;
  virt: Probed<VirtFacts> | null;
  /** Nix systems this kernel can run through binfmt_misc (e.g. "aarch64-linux"). */
  binfmt: Probed<string[]> | null;
  nix: Probed<NixFacts>;
  resources: ResourceFacts;
  /** Programs asked about (a team policy's requiredTools) -> where on PATH, or null. */
  tools?: Record<string, string | null>;
  /** Probe name -> why it yielded "unknown". */
  probeErrors: Record<string, string>;
}

export function known<T>(value: Probed<T> | null | undefined): T | undefined {
  return value === UNKNOWN || value === null || value === undefined ? undefined : value;
}
