// The accelerator `crossflake vm` chooses, decided on recorded HostFacts for
// every row of the support matrix and for the broken hosts (no KVM, WSL2
// without nested virtualization, a Rosetta shell, WSL1, native Windows).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { HostFacts } from '../../src/io/host/facts.js';
import { chooseAccelerator } from '../../src/vm/accelerator.js';
import { classifyVms } from '../../src/vm/list.js';

function facts(name: string): HostFacts {
  const url = new URL(`../fixtures/host/facts/${name}.json`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as HostFacts;
}

describe('chooseAccelerator on recorded hosts', () => {
  const rows: [string, string, string | null, boolean][] = [
    ['linux-x86_64', 'x86_64-linux', 'kvm', true],
    ['linux-x86_64', 'aarch64-linux', 'tcg', false],
    ['linux-aarch64', 'aarch64-linux', 'kvm', true],
    ['linux-aarch64', 'x86_64-linux', 'tcg', false],
    ['wsl2-x86_64', 'x86_64-linux', 'nested-kvm', true],
    // The recorded Windows-on-Arm device has no /dev/kvm in WSL2 (not every device offers nesting).
    ['wsl2-aarch64', 'aarch64-linux', 'tcg', true],
    ['darwin-aarch64', 'aarch64-linux', 'hvf', true],
    ['darwin-aarch64', 'x86_64-linux', 'tcg', false],
    ['darwin-x86_64', 'x86_64-linux', 'hvf', true],
    ['broken-no-kvm', 'x86_64-linux', 'tcg', true],
    ['broken-rosetta', 'aarch64-linux', 'tcg', false],
    ['broken-wsl1', 'x86_64-linux', null, false],
    ['windows-native', 'x86_64-linux', null, false],
  ];
  for (const [host, guest, accel, native] of rows) {
    it(`${host} running a ${guest} guest gets ${accel ?? 'nothing'}`, () => {
      const choice = chooseAccelerator(facts(host), guest);
      expect(choice.accelerator).toBe(accel);
      expect(choice.native).toBe(native);
    });
  }

  it('an emulated guest comes with the slowdown to expect', () => {
    expect(chooseAccelerator(facts('linux-x86_64'), 'aarch64-linux').warning).toMatch(
      /10-50x slower/,
    );
    expect(chooseAccelerator(facts('linux-x86_64'), 'x86_64-linux').warning).toBeNull();
  });

  it('no /dev/kvm on Linux: emulated, with the firmware fix', () => {
    expect(chooseAccelerator(facts('broken-no-kvm'), 'x86_64-linux').warning).toMatch(
      /VT-x\/AMD-V/,
    );
  });

  it('/dev/kvm present but not usable: the kvm group fix', () => {
    const f = facts('linux-x86_64');
    f.virt = { kvmPresent: true, kvmUsable: false, nested: null };
    expect(chooseAccelerator(f, 'x86_64-linux').warning).toMatch(/kvm group/);
  });

  it('WSL2 with nested virtualization off (no /dev/kvm): emulated, with the .wslconfig fix', () => {
    const f = facts('wsl2-x86_64');
    f.virt = { kvmPresent: false, kvmUsable: false, nested: null };
    const choice = chooseAccelerator(f, 'x86_64-linux');
    expect(choice.accelerator).toBe('tcg');
    expect(choice.warning).toMatch(/nestedVirtualization=true/);
  });

  it('a Rosetta shell is told to open a native terminal', () => {
    expect(chooseAccelerator(facts('broken-rosetta'), 'aarch64-linux').warning).toMatch(
      /native \(arm64\) terminal/,
    );
  });

  it('native Windows points into WSL', () => {
    expect(chooseAccelerator(facts('windows-native'), 'x86_64-linux').reason).toMatch(
      /inside WSL2/,
    );
  });

  it('a guest that is not Linux is refused', () => {
    expect(chooseAccelerator(facts('linux-x86_64'), 'x86_64-darwin').accelerator).toBeNull();
  });
});

describe('classifyVms', () => {
  const configs = [
    { name: 'web', system: 'x86_64-linux', hostSystem: null, hasVm: true },
    { name: 'arm', system: 'aarch64-linux', hostSystem: null, hasVm: true },
    { name: 'arm-on-mac', system: 'aarch64-linux', hostSystem: 'aarch64-darwin', hasVm: true },
    { name: 'plain', system: 'x86_64-linux', hostSystem: null, hasVm: false },
  ];

  it('on Linux x86_64 with KVM: native, and a runner built for another system cannot run', () => {
    const vms = classifyVms(facts('linux-x86_64'), configs);
    expect(vms.map((v) => [v.name, v.runs, v.accelerator])).toEqual([
      ['arm', 'no', null],
      ['arm-on-mac', 'no', null],
      ['web', 'native', 'kvm'],
    ]);
    expect(vms[0]!.note).toContain('crossflake.vm.hostSystem = "x86_64-linux"');
  });

  it('on an Apple Silicon Mac only the runner built for aarch64-darwin runs, with hvf', () => {
    const vms = classifyVms(facts('darwin-aarch64'), configs);
    expect(vms.find((v) => v.name === 'arm-on-mac')).toMatchObject({
      runs: 'native',
      accelerator: 'hvf',
    });
    expect(vms.find((v) => v.name === 'web')?.runs).toBe('no');
  });

  it('without KVM the guest runs, emulated', () => {
    const vms = classifyVms(facts('broken-no-kvm'), configs);
    expect(vms.find((v) => v.name === 'web')).toMatchObject({
      runs: 'emulated',
      accelerator: 'tcg',
    });
  });
});
