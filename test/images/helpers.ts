// Shared set-up for the images tests: hand-built HostFacts, a temp copy of
// the fixture flake, and the CLI run in-process with captured output.
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HostFacts } from '../../src/io/host/facts.js';
import { run } from '../../src/cli.js';
import { nixEnv } from '../helpers/nix.js';

export const FIXTURE = new URL('../fixtures/images/', import.meta.url).pathname;

type Overrides = {
  kernel?: HostFacts['os']['kernel'];
  arch?: HostFacts['os']['arch'];
  system?: string;
  extraPlatforms?: string[];
  builders?: string;
  binfmt?: string[];
  nixPresent?: boolean;
  memoryGiB?: number;
  cpus?: number;
  isNixOS?: boolean;
};

/** A HostFacts record for a Linux (or other) host, built by hand. */
export function hostFacts(o: Overrides = {}): HostFacts {
  const kernel = o.kernel ?? 'linux';
  const arch = o.arch ?? 'x86_64';
  const present = o.nixPresent ?? true;
  return {
    schema: 'crossflake.hostfacts/1',
    collectedAt: '2026-11-27T00:00:00.000Z',
    crossflakeVersion: '0.1.0',
    os: {
      kernel,
      arch,
      release: '6.12.0',
      nodePlatform: kernel,
      nodeArch: arch === 'x86_64' ? 'x64' : 'arm64',
    },
    user: { name: 'builder', home: '/home/builder', hostname: 'ci' },
    linux:
      kernel === 'linux'
        ? {
            distroId: 'debian',
            distroName: 'Debian',
            distroVersion: '13',
            isNixOS: o.isNixOS ?? false,
            pid1: 'systemd',
          }
        : null,
    wsl: null,
    macos:
      kernel === 'darwin'
        ? {
            productVersion: '15.1',
            appleSilicon: arch === 'aarch64',
            rosetta: false,
            cpuBrand: null,
          }
        : null,
    windows: null,
    virt: null,
    binfmt: kernel === 'linux' ? (o.binfmt ?? []) : null,
    nix: {
      present,
      version: present ? '2.8.0' : null,
      path: present ? '/usr/bin/nix' : null,
      mode: 'single-user',
      config: present
        ? {
            experimentalFeatures: ['nix-command', 'flakes'],
            substituters: [],
            trustedUsers: ['root'],
            maxJobs: 1,
            extraPlatforms: o.extraPlatforms ?? [],
            systemFeatures: ['nixos-test', 'benchmark', 'big-parallel', 'kvm'],
            builders: o.builders ?? '',
            system: o.system ?? `${arch}-${kernel}`,
            sandbox: 'false',
          }
        : null,
      darwinRebuild: false,
    },
    resources: {
      cpus: o.cpus ?? 2,
      memoryBytes: (o.memoryGiB ?? 8) * 1024 ** 3,
      storeDiskFreeBytes: 100 * 1024 ** 3,
      storeDiskPath: '/nix',
    },
    probeErrors: {},
  };
}

export interface Workspace {
  dir: string;
  flake: string;
  facts: string;
  cleanup: () => Promise<void>;
}

/** A temp directory with a copy of the fixture flake (in flake/) and a facts file. */
export async function workspace(facts: HostFacts = hostFacts()): Promise<Workspace> {
  const dir = await mkdtemp(join(tmpdir(), 'cf-images-'));
  const flake = join(dir, 'flake');
  await cp(FIXTURE, flake, { recursive: true });
  const factsFile = join(dir, 'facts.json');
  await writeFile(factsFile, JSON.stringify(facts));
  return { dir, flake, facts: factsFile, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** The start of an `images build` command line on a workspace's flake and facts. */
export function imagesBuild(ws: Workspace, version: string): string[] {
  return ['images', 'build', '--flake', ws.flake, '--facts', ws.facts, '--image-version', version];
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `crossflake <args>` in-process with offline nix and captured output. */
export async function cli(
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = {},
): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await run(args, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    stdin: process.stdin,
    env: nixEnv(env),
    cwd,
  });
  return { code, stdout, stderr };
}
