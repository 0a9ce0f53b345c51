import { describe, expect, it } from 'vitest';
import type { HostFacts } from '../../src/io/host/facts.js';
import { deriveDefaults, nixSystemOf, shortHostname } from '../../src/templates/defaults.js';
import { embeddedTemplatesDir, loadAll } from '../../src/templates/load.js';

const templates = await loadAll(embeddedTemplatesDir());
const spec = (name: string) => templates.find((t) => t.spec.name === name)!.spec;

// A HostFacts record as doctor writes it (an Apple Silicon Mac), by hand.
const macFacts: HostFacts = {
  schema: 'crossflake.hostfacts/1',
  collectedAt: '2026-11-01T10:00:00Z',
  crossflakeVersion: '0.1.0',
  os: { kernel: 'darwin', arch: 'aarch64', release: '25.1.0', nodePlatform: 'darwin', nodeArch: 'arm64' },
  user: { name: 'ada', home: '/Users/ada', hostname: 'Adas-MacBook-Pro.local' },
  linux: null,
  wsl: null,
  macos: { productVersion: '26.1', appleSilicon: true, rosetta: false, cpuBrand: 'Apple M3' },
  windows: null,
  virt: null,
  binfmt: null,
  nix: 'unknown',
  resources: { cpus: 8, memoryBytes: 17179869184, storeDiskFreeBytes: 'unknown', storeDiskPath: '/nix' },
  probeErrors: {},
};
const git = { name: 'Ada Lovelace', email: 'ada@example.org' };

/** A bare-metal Linux host, derived from the Mac record by hand. */
function linuxFacts(arch: 'x86_64' | 'aarch64', user: HostFacts['user']): HostFacts {
  return {
    ...macFacts,
    os: { kernel: 'linux', arch, release: '6.12.0', nodePlatform: 'linux', nodeArch: arch === 'x86_64' ? 'x64' : 'arm64' },
    user,
    macos: null,
    wsl: { version: null, distroName: null, interop: false, systemd: true },
  };
}

describe('defaults from doctor facts and git config', () => {
  it('an Apple Silicon Mac: user, short host name, aarch64-darwin, git identity', () => {
    expect(deriveDefaults(spec('darwin'), macFacts, git)).toEqual({
      username: 'ada',
      hostname: 'Adas-MacBook-Pro',
      system: 'aarch64-darwin',
      fullName: 'Ada Lovelace',
      email: 'ada@example.org',
      // sharedFlake has no default: nothing is made up for it.
      nixInstall: 'upstream-nix',
      homeManager: true,
    });
  });

  it('an Intel Mac gets x86_64-darwin: the CPU is never hard-coded', () => {
    const intel = {
      ...macFacts,
      os: { ...macFacts.os, arch: 'x86_64' as const },
      macos: { productVersion: '15.7', appleSilicon: false, rosetta: false, cpuBrand: 'Intel Core i7' },
    };
    expect(deriveDefaults(spec('darwin'), intel, git).system).toBe('x86_64-darwin');
  });

  it('a Mac under Rosetta (an x86_64 process) still gets its row: aarch64-darwin', () => {
    const rosetta = {
      ...macFacts,
      os: { ...macFacts.os, arch: 'x86_64' as const, nodeArch: 'x64' },
      macos: { productVersion: '26.1', appleSilicon: true, rosetta: true, cpuBrand: 'Apple M3' },
    };
    expect(nixSystemOf(rosetta)).toBe('aarch64-darwin');
  });

  it("without a matching row, nix's own system is used", () => {
    const other = {
      ...macFacts,
      os: { ...macFacts.os, kernel: 'other' as const },
      macos: null,
      nix: {
        present: true,
        version: '2.31.0',
        path: '/nix/var/nix/profiles/default/bin/nix',
        mode: 'daemon' as const,
        darwinRebuild: false,
        config: {
          experimentalFeatures: [],
          substituters: [],
          trustedUsers: [],
          maxJobs: null,
          extraPlatforms: [],
          systemFeatures: [],
          builders: '',
          system: 'x86_64-darwin',
          sandbox: null,
        },
      },
    };
    expect(nixSystemOf(other)).toBe('x86_64-darwin');
  });

  it('natively on Windows the WSL2 row gives x86_64-linux', () => {
    const windows = { ...macFacts, os: { ...macFacts.os, kernel: 'windows' as const, arch: 'x86_64' as const }, macos: null };
    expect(deriveDefaults(spec('wsl-nixos'), windows, git).system).toBe('x86_64-linux');
  });

  it('a value that breaks the rule falls back to the harmless default', () => {
    const rootOnLinux = linuxFacts('aarch64', { name: 'root', home: '/root', hostname: 'build_box.example' });
    const values = deriveDefaults(spec('wsl-nixos'), rootOnLinux, { name: null, email: 'not-an-email' });
    expect(values.username).toBe('crossflake-user');
    expect(values.hostname).toBe('crossflake-host'); // "build_box" has an underscore
    expect(values.system).toBe('aarch64-linux');
    expect(values.fullName).toBe('Your Name');
    expect(values.email).toBe('you@example.com');
  });

  it('a Linux machine does not push its system into the darwin template', () => {
    const linux = linuxFacts('x86_64', { name: 'ada', home: '/home/ada', hostname: 'box' });
    expect(deriveDefaults(spec('darwin'), linux, git).system).toBe('aarch64-darwin');
  });

  it('without facts every parameter keeps its template default', () => {
    const values = deriveDefaults(spec('team'), null, { name: null, email: null });
    expect(values).toEqual(Object.fromEntries(spec('team').parameters.map((p) => [p.name, p.default])));
  });

  it('short host names drop the domain', () => {
    expect(shortHostname('a.b.c')).toBe('a');
    expect(shortHostname('plain')).toBe('plain');
  });
});
