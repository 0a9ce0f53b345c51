// Probe: the evidence of how Nix was installed (marker files, the nix
// binary's real path and the package that owns it). classifyInstall, in
// nix-install-parse.ts, decides; this file only looks.
import { existsSync } from 'node:fs';
import { readFile, realpath } from 'node:fs/promises';
import { run, which } from '../proc.js';
import type { Kernel, NixFacts, NixInstall } from './facts.js';
import { parseOsRelease } from './linux-parse.js';
import {
  classifyInstall,
  MARKER_PATHS,
  type InstallEvidence,
  type OwnerManager,
} from './nix-install-parse.js';

const TIMEOUT_MS = 5000;

/** How each package manager is asked who owns a file (first one on PATH wins). */
const OWNER_QUERIES: [OwnerManager, (path: string) => string[]][] = [
  ['dpkg', (p) => ['-S', p]],
  ['rpm', (p) => ['-qf', '--queryformat', '%{NAME}\\n', p]],
  ['pacman', (p) => ['-Qo', p]],
];

async function ownerOf(path: string, env: NodeJS.ProcessEnv): Promise<InstallEvidence['owner']> {
  for (const [manager, args] of OWNER_QUERIES) {
    const program = which(manager, env);
    if (!program) continue;
    const res = await run(program, args(path), { env, timeoutMs: TIMEOUT_MS });
    if (res.code === 0) return { manager, output: res.stdout.toString('utf8') };
    return null;
  }
  return null;
}

async function distroOf(): Promise<{ id: string | null; isNixOS: boolean }> {
  const text = await readFile('/etc/os-release', 'utf8').catch(() => '');
  const id = parseOsRelease(text).ID ?? null;
  return { id, isNixOS: id === 'nixos' || existsSync('/etc/NIXOS') };
}

export async function gatherInstallEvidence(
  kernel: Kernel,
  nixPath: string,
  versionText: string | null,
  mode: NixFacts['mode'],
  env: NodeJS.ProcessEnv,
): Promise<InstallEvidence> {
  const realPath = await realpath(nixPath).catch(() => null);
  const outsideStore = realPath !== null && !realPath.startsWith('/nix/store/');
  const [owner, distro] = await Promise.all([
    outsideStore && kernel === 'linux' ? ownerOf(realPath, env) : Promise.resolve(null),
    kernel === 'linux' ? distroOf() : Promise.resolve({ id: null, isNixOS: false }),
  ]);
  return {
    kernel,
    versionText,
    nixPath,
    realPath,
    owner,
    distroId: distro.id,
    isNixOS: distro.isNixOS,
    mode,
    markers: MARKER_PATHS.filter((p) => existsSync(p)),
  };
}

export async function probeInstall(
  kernel: Kernel,
  nixPath: string,
  versionText: string | null,
  mode: NixFacts['mode'],
  env: NodeJS.ProcessEnv,
): Promise<NixInstall> {
  return classifyInstall(await gatherInstallEvidence(kernel, nixPath, versionText, mode, env));
}
