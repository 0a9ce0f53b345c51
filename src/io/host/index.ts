// Collects HostFacts: every probe runs at once, each under a timeout, and a
// probe that fails or hangs yields "unknown" (with the reason recorded)
// instead of failing doctor.
import os from 'node:os';
import { existsSync } from 'node:fs';
import { win32 } from 'node:path';
import { statfs } from 'node:fs/promises';
import type { HostFacts, Kernel, Probed } from './facts.js';
import { UNKNOWN } from './facts.js';
import { kernelOf, osFacts, withTimeout } from './os.js';
import { probeBinfmt, probeLinux, probeVirt, probeWsl } from './linux.js';
import { probeMacos } from './macos.js';
import { probeNix } from './nix.js';
import { probeWindows } from './windows.js';
import { which } from '../proc.js';
import pkg from '../../../package.json' with { type: 'json' };

export type { HostFacts } from './facts.js';
export { archOf, kernelOf } from './os.js';

export interface CollectOptions {
  env?: NodeJS.ProcessEnv;
  /** Per-probe limit; a probe still running then reports "unknown". */
  timeoutMs?: number;
  /** Run probes one after another (the benchmark's baseline). */
  sequential?: boolean;
  /** Programs to look up on PATH (a team policy's requiredTools). */
  tools?: readonly string[];
}

type ProbeMap = { [K in keyof HostFacts]?: () => Promise<unknown> };

async function diskFree(path: string): Promise<number> {
  const s = await statfs(path);
  return s.bavail * s.bsize;
}

/**
 * The disk Nix's store will live on: /nix, else the home directory. On
 * Windows there is no /nix (a Z:\nix under Wine is Linux's): the store lives
 * in the WSL distro, whose disk onboard puts under %LOCALAPPDATA% by default,
 * so that drive's root is the one that must have room.
 */
export function diskThatMatters(kernel: Kernel, env: NodeJS.ProcessEnv, home: string): string {
  if (kernel === 'windows') return win32.parse(env.LOCALAPPDATA ?? home).root || home;
  return existsSync('/nix') ? '/nix' : home;
}

export async function collectFacts(options: CollectOptions = {}): Promise<HostFacts> {
  const env = options.env ?? process.env;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const kernel = kernelOf(os.platform());
  const release = os.release();
  const home = os.homedir();
  const storeDiskPath = diskThatMatters(kernel, env, home);

  const probes: ProbeMap = {
    nix: () =>
      kernel === 'windows' ? Promise.resolve(noNix()) : probeNix(env, home, options.sequential),
  };
  if (kernel === 'linux') {
    probes.linux = () => probeLinux();
    probes.wsl = () => probeWsl(release, env);
    probes.virt = () => probeVirt();
    probes.binfmt = () => probeBinfmt();
  }
  if (kernel === 'darwin') probes.macos = () => probeMacos();
  if (kernel === 'windows') probes.windows = () => probeWindows(env);

  const results: Record<string, unknown> = {};
  const probeErrors: Record<string, string> = {};
  const runOne = async ([name, probe]: [string, () => Promise<unknown>]) => {
    try {
      results[name] = await withTimeout(probe(), timeoutMs);
    } catch (error) {
      results[name] = UNKNOWN;
      probeErrors[name] = error instanceof Error ? error.message : String(error);
    }
  };
  const entries = Object.entries(probes) as [string, () => Promise<unknown>][];
  const disk = diskFree(storeDiskPath).catch((e: Error) => {
    probeErrors.disk = e.message;
    return UNKNOWN;
  });
  if (options.sequential) for (const entry of entries) await runOne(entry);
  else await Promise.all(entries.map(runOne));

  const user = os.userInfo();
  return {
    schema: 'crossflake.hostfacts/1',
    collectedAt: new Date().toISOString(),
    crossflakeVersion: pkg.version,
    os: osFacts(),
    user: { name: user.username, home, hostname: os.hostname() },
    linux: (results.linux as HostFacts['linux']) ?? null,
    wsl: (results.wsl as HostFacts['wsl']) ?? null,
    macos: (results.macos as HostFacts['macos']) ?? null,
    windows: (results.windows as HostFacts['windows']) ?? null,
    virt: (results.virt as HostFacts['virt']) ?? null,
    binfmt: (results.binfmt as HostFacts['binfmt']) ?? null,
    nix: results.nix as HostFacts['nix'],
    resources: {
      cpus: os.availableParallelism(),
      memoryBytes: os.totalmem(),
      storeDiskFreeBytes: (await disk) as Probed<number>,
      storeDiskPath,
    },
    ...(options.tools?.length ? { tools: toolPaths(options.tools, env) } : {}),
    probeErrors,
  };
}

/** PATH look-ups only (no process starts), so asking costs nothing measurable. */
function toolPaths(
  tools: readonly string[],
  env: NodeJS.ProcessEnv,
): Record<string, string | null> {
  return Object.fromEntries(tools.map((t) => [t, which(t, env)]));
}

function noNix(): HostFacts['nix'] {
  // Natively on Windows Nix lives inside WSL, never on the Windows side.
  return {
    present: false,
    version: null,
    path: null,
    mode: 'unknown',
    config: null,
    darwinRebuild: false,
  };
}
