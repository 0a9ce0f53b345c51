// Decides, per image, whether this host can build it and how: natively, via
// extra-platforms (+ binfmt emulation for a foreign CPU), on a remote builder,
// or on nix-darwin's linux-builder. Pure: images + HostFacts + options in, a
// plan out, so a recorded HostFacts file replays any machine's plan.
import { known, type HostFacts } from '../io/host/facts.js';
import { imageKey, type ImageSpec } from './matrix.js';

export type Route = 'native' | 'extra-platforms' | 'binfmt' | 'remote-builder' | 'linux-builder';

export interface PlanEntry {
  image: ImageSpec;
  action: 'build' | 'skip';
  route: Route | null;
  /** For a skip: why. For a build: how (e.g. "remote builder ssh://arm"). */
  reason: string;
  /** For a skip: what to change so this host can build it. */
  fix: string | null;
  warnings: string[];
}

export interface Plan {
  hostSystem: string | null;
  entries: PlanEntry[];
}

export interface PlanOptions {
  /** `--builders` value; replaces nix.conf's `builders` when given. */
  builders?: string;
}

export interface Machine {
  uri: string;
  systems: string[];
  maxJobs: number;
  features: string[];
}

/** Formats that produce a whole disk image (memory hungry under emulation). */
const DISK_FORMATS = new Set([
  'qcow2',
  'qcow2-efi',
  'raw',
  'raw-efi',
  'iso',
  'virtualbox',
  'vmware',
  'sd-card',
]);

/**
 * Parses Nix's `builders` syntax: machines separated by ';' or newlines, each
 * `uri systems sshKey maxJobs speedFactor supportedFeatures mandatoryFeatures
 * publicHostKey`, '-' meaning "default". A leading '@file' must have been
 * expanded by the caller (it is a file read, an effect).
 */
export function parseBuilders(text: string): Machine[] {
  return text
    .split(/[;\n]/)
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter((line) => line !== '' && !line.startsWith('@'))
    .map((line) => {
      const [uri = '', systems = '-', , maxJobs = '1', , features = '-'] = line.split(/\s+/);
      return {
        uri,
        systems: systems === '-' ? [] : systems.split(','),
        maxJobs: Number.parseInt(maxJobs, 10) || 1,
        features: features === '-' ? [] : features.split(','),
      };
    });
}

/** The Nix system of the host: nix.conf's `system`, else derived from the OS. */
export function hostSystemOf(facts: HostFacts): string | null {
  const config = known(known(facts.nix)?.config);
  if (config?.system) return config.system;
  const { kernel, arch } = facts.os;
  if ((kernel === 'linux' || kernel === 'darwin') && arch !== 'other') return `${arch}-${kernel}`;
  return null;
}

/** Builds at once: the CPU count, but no more than one per 2 GiB of memory (image builds are big). */
export function defaultMaxJobs(facts: HostFacts): number {
  const byMemory = Math.floor(facts.resources.memoryBytes / (2 * 1024 ** 3));
  return Math.max(1, Math.min(facts.resources.cpus, byMemory));
}

function gib(bytes: number): string {
  return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
}

function emulationWarning(image: ImageSpec, facts: HostFacts): string[] {
  if (!DISK_FORMATS.has(image.format)) return [];
  return [
    `${imageKey(image)} is a disk image built under CPU emulation: expect it to be slow and ` +
      `memory hungry (host has ${gib(facts.resources.memoryBytes)}; emulated aarch64 disk ` +
      `images have run out of memory); a native or remote ${image.system} builder is better`,
  ];
}

function skip(image: ImageSpec, reason: string, fix: string | null): PlanEntry {
  return { image, action: 'skip', route: null, reason, fix, warnings: [] };
}

function build(image: ImageSpec, route: Route, reason: string, warnings: string[] = []): PlanEntry {
  return { image, action: 'build', route, reason, fix: null, warnings };
}

function archOf(system: string): string {
  return system.split('-')[0] ?? system;
}

function kernelOfSystem(system: string): string {
  return system.split('-').slice(1).join('-');
}

function planOne(
  image: ImageSpec,
  facts: HostFacts,
  hostSystem: string,
  machines: Machine[],
): PlanEntry {
  const { system } = image;
  if (system === hostSystem) return build(image, 'native', `native ${system}`);

  const config = known(known(facts.nix)?.config);
  const extra = config?.extraPlatforms ?? [];
  const binfmt = known(facts.binfmt) ?? [];
  const sameKernel = kernelOfSystem(system) === kernelOfSystem(hostSystem);
  const foreignCpu = archOf(system) !== archOf(hostSystem);

  const remote = machines.find((m) => m.systems.includes(system));
  if (remote) {
    const route: Route = /linux-builder/.test(remote.uri) ? 'linux-builder' : 'remote-builder';
    return build(
      image,
      route,
      `${route === 'linux-builder' ? 'linux-builder' : 'remote builder'} ${remote.uri}`,
    );
  }

  if (sameKernel && extra.includes(system)) {
    if (facts.os.kernel === 'darwin') {
      return build(image, 'extra-platforms', `extra-platforms (Rosetta 2) on ${hostSystem}`);
    }
    if (!foreignCpu) return build(image, 'extra-platforms', `extra-platforms on ${hostSystem}`);
    if (binfmt.includes(system)) {
      return build(
        image,
        'binfmt',
        `binfmt emulation of ${system}`,
        emulationWarning(image, facts),
      );
    }
    return skip(
      image,
      `${system} is in extra-platforms but no binfmt handler for it is registered`,
      binfmtFix(system, facts),
    );
  }

  if (sameKernel && foreignCpu && binfmt.includes(system)) {
    return skip(
      image,
      `binfmt can run ${system} binaries, but nix does not offer ${system} (not in extra-platforms)`,
      `add "extra-platforms = ${system}" to nix.conf (on NixOS, boot.binfmt.emulatedSystems sets both)`,
    );
  }

  if (facts.os.kernel === 'darwin' && kernelOfSystem(system) === 'linux') {
    return skip(
      image,
      `${system} needs a Linux builder and none is configured`,
      `enable nix-darwin's linux-builder (nix.linux-builder.enable = true), ` +
        `or pass --builders 'ssh-ng://host ${system}'`,
    );
  }
  if (sameKernel && foreignCpu) {
    return skip(image, `${hostSystem} cannot run ${system} builds`, binfmtFix(system, facts));
  }
  return skip(
    image,
    `${hostSystem} cannot build ${system}`,
    `add a remote builder that offers ${system}: --builders 'ssh-ng://host ${system}'`,
  );
}

function binfmtFix(system: string, facts: HostFacts): string {
  const nixos = known(facts.linux)?.isNixOS === true;
  const emulate = nixos
    ? `on NixOS set boot.binfmt.emulatedSystems = [ "${system}" ]`
    : `register qemu-user-static for ${archOf(system)} with binfmt_misc and add ` +
      `"extra-platforms = ${system}" to nix.conf`;
  return `${emulate}; or add a remote ${system} builder: --builders 'ssh-ng://host ${system}'`;
}

/** The plan for `images` on the host described by `facts`. */
export function planImages(
  images: readonly ImageSpec[],
  facts: HostFacts,
  options: PlanOptions = {},
): Plan {
  const nixFacts = known(facts.nix);
  const hostSystem = hostSystemOf(facts);
  if (facts.os.kernel === 'windows') {
    const fix = 'run crossflake inside WSL (crossflake onboard sets it up)';
    return {
      hostSystem,
      entries: images.map((i) => skip(i, 'Windows cannot build Nix images', fix)),
    };
  }
  if (!nixFacts?.present || hostSystem === null) {
    const fix = 'install Nix (see crossflake doctor)';
    return { hostSystem, entries: images.map((i) => skip(i, 'nix is not installed', fix)) };
  }
  const builders = options.builders ?? known(nixFacts.config)?.builders ?? '';
  const machines = parseBuilders(builders);
  return {
    hostSystem,
    entries: images.map((image) => planOne(image, facts, hostSystem, machines)),
  };
}
