import { describe, expect, it } from 'vitest';
import { validateFacts } from '../../src/io/host/facts-file.js';
import type { ImageSpec } from '../../src/images/matrix.js';
import { defaultMaxJobs, hostSystemOf, parseBuilders, planImages } from '../../src/images/plan.js';
import { hostFacts } from './helpers.js';

const image = (system: string, format = 'qcow2'): ImageSpec => ({
  name: 'team',
  format,
  system,
  attr: `packages.${system}.team-${format}`,
  kind: 'derivation',
  file: 'nixos.qcow2',
  extension: format,
});

describe('planImages (pure, on hand-built HostFacts)', () => {
  it('the hand-built facts are valid HostFacts (data/hostfacts.schema.json)', () => {
    for (const o of [
      {},
      { kernel: 'darwin' as const, arch: 'aarch64' as const },
      { nixPresent: false },
    ]) {
      expect(() => validateFacts(hostFacts(o), 'test')).not.toThrow();
    }
  });

  it('builds the native system and skips a foreign one with reason and fix', () => {
    const plan = planImages([image('x86_64-linux'), image('aarch64-linux')], hostFacts());
    expect(plan.hostSystem).toBe('x86_64-linux');
    expect(plan.entries[0]).toMatchObject({ action: 'build', route: 'native' });
    expect(plan.entries[1]).toMatchObject({ action: 'skip', route: null });
    expect(plan.entries[1]?.reason).toContain('cannot run aarch64-linux');
    expect(plan.entries[1]?.fix).toContain('extra-platforms = aarch64-linux');
  });

  it('on NixOS the fix names boot.binfmt.emulatedSystems', () => {
    const plan = planImages([image('aarch64-linux')], hostFacts({ isNixOS: true }));
    expect(plan.entries[0]?.fix).toContain('boot.binfmt.emulatedSystems = [ "aarch64-linux" ]');
  });

  it('extra-platforms plus a binfmt registration builds by emulation and warns about memory for disk images', () => {
    const facts = hostFacts({
      extraPlatforms: ['aarch64-linux'],
      binfmt: ['aarch64-linux'],
      memoryGiB: 4,
    });
    const plan = planImages([image('aarch64-linux'), image('aarch64-linux', 'docker')], facts);
    expect(plan.entries[0]).toMatchObject({ action: 'build', route: 'binfmt' });
    expect(plan.entries[0]?.warnings.join()).toMatch(/memory.*4\.0 GiB/);
    expect(plan.entries[1]).toMatchObject({ action: 'build', route: 'binfmt', warnings: [] });
  });

  it('binfmt without extra-platforms, and extra-platforms without binfmt, are skipped with the missing half as fix', () => {
    const onlyBinfmt = planImages(
      [image('aarch64-linux')],
      hostFacts({ binfmt: ['aarch64-linux'] }),
    );
    expect(onlyBinfmt.entries[0]).toMatchObject({ action: 'skip' });
    expect(onlyBinfmt.entries[0]?.fix).toContain('extra-platforms = aarch64-linux');
    const onlyExtra = planImages(
      [image('aarch64-linux')],
      hostFacts({ extraPlatforms: ['aarch64-linux'] }),
    );
    expect(onlyExtra.entries[0]?.reason).toContain('no binfmt handler');
  });

  it('a remote builder that offers the system builds it; --builders replaces nix.conf', () => {
    const facts = hostFacts({ builders: 'ssh-ng://arm64 aarch64-linux /key 4 1 kvm' });
    expect(planImages([image('aarch64-linux')], facts).entries[0]).toMatchObject({
      action: 'build',
      route: 'remote-builder',
      reason: 'remote builder ssh-ng://arm64',
    });
    const overridden = planImages([image('aarch64-linux')], facts, { builders: '' });
    expect(overridden.entries[0]?.action).toBe('skip');
  });

  it('a Mac builds Linux images on the nix-darwin linux-builder, or says how to enable it', () => {
    const mac = { kernel: 'darwin' as const, arch: 'aarch64' as const };
    const withBuilder = hostFacts({
      ...mac,
      builders:
        'ssh-ng://builder@linux-builder aarch64-linux /etc/nix/builder_ed25519 4 - - - c3NoLWVk',
    });
    expect(planImages([image('aarch64-linux')], withBuilder).entries[0]).toMatchObject({
      action: 'build',
      route: 'linux-builder',
    });
    const without = planImages([image('aarch64-linux')], hostFacts(mac));
    expect(without.entries[0]?.fix).toContain('nix.linux-builder.enable = true');
  });

  it('an Apple Silicon Mac builds x86_64-darwin through extra-platforms (Rosetta)', () => {
    const facts = hostFacts({
      kernel: 'darwin',
      arch: 'aarch64',
      extraPlatforms: ['x86_64-darwin'],
    });
    expect(planImages([image('x86_64-darwin', 'docker')], facts).entries[0]).toMatchObject({
      action: 'build',
      route: 'extra-platforms',
    });
  });

  it('without nix, or on Windows, everything is skipped with the way forward', () => {
    const noNix = planImages([image('x86_64-linux')], hostFacts({ nixPresent: false }));
    expect(noNix.entries[0]).toMatchObject({ action: 'skip', reason: 'nix is not installed' });
    const windows = planImages(
      [image('x86_64-linux')],
      hostFacts({ kernel: 'windows', nixPresent: false }),
    );
    expect(windows.entries[0]?.fix).toContain('inside WSL');
  });
});

describe('parseBuilders, hostSystemOf, defaultMaxJobs', () => {
  it('reads nix machine lines separated by ; or newlines, with - as default', () => {
    const machines = parseBuilders(
      'ssh://a x86_64-linux,aarch64-linux - 8 1 kvm,big-parallel; ssh-ng://b - \n# comment\n',
    );
    expect(machines).toEqual([
      {
        uri: 'ssh://a',
        systems: ['x86_64-linux', 'aarch64-linux'],
        maxJobs: 8,
        features: ['kvm', 'big-parallel'],
      },
      { uri: 'ssh-ng://b', systems: [], maxJobs: 1, features: [] },
    ]);
  });

  it('derives the host system from the OS when nix.conf has none', () => {
    const facts = hostFacts({ arch: 'aarch64' });
    (facts.nix as { config: unknown }).config = 'unknown';
    expect(hostSystemOf(facts)).toBe('aarch64-linux');
  });

  it('runs one build per CPU but at most one per 2 GiB of memory', () => {
    expect(defaultMaxJobs(hostFacts({ cpus: 16, memoryGiB: 8 }))).toBe(4);
    expect(defaultMaxJobs(hostFacts({ cpus: 2, memoryGiB: 64 }))).toBe(2);
    expect(defaultMaxJobs(hostFacts({ cpus: 4, memoryGiB: 1 }))).toBe(1);
  });
});
