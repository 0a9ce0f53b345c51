import { describe, expect, it } from 'vitest';
import { advise, NEEDS, type Leaf, type Need } from '../../src/advise/decide.js';
import { recordedFacts } from '../helpers/facts.js';

interface Case {
  name: string;
  fixture: string;
  needs: Need[];
  vmSystem?: string;
  leaf: Leaf;
  last: string[];
}

const vm = (cfg: string) => ['crossflake', 'vm', 'run', cfg, '--flake', '.'];

const cases: Case[] = [
  {
    name: 'no needs: dev shell',
    fixture: 'linux-x86_64',
    needs: [],
    leaf: 'dev-shell',
    last: ['nix', 'develop', '.#default'],
  },
  {
    name: 'iteration',
    fixture: 'darwin-aarch64',
    needs: ['iterate'],
    leaf: 'dev-shell',
    last: ['nix', 'develop', '.#default'],
  },
  {
    name: 'light tooling + host integration',
    fixture: 'wsl2-x86_64',
    needs: ['tooling', 'host-integration'],
    leaf: 'dev-shell',
    last: ['nix', 'develop', '.#default'],
  },
  {
    name: 'CI',
    fixture: 'linux-x86_64',
    needs: ['ci'],
    leaf: 'dev-shell-ci',
    last: ['nix', 'develop', '.#default', '--command', '<your test command>'],
  },
  {
    name: 'CI wins over system tests',
    fixture: 'linux-x86_64',
    needs: ['ci', 'system-test'],
    leaf: 'dev-shell-ci',
    last: ['nix', 'develop', '.#default', '--command', '<your test command>'],
  },
  {
    name: 'system test with KVM',
    fixture: 'linux-x86_64',
    needs: ['system-test'],
    leaf: 'vm-native',
    last: vm('generic-vm-headless-x86_64'),
  },
  {
    name: 'OS build on Apple Silicon',
    fixture: 'darwin-aarch64',
    needs: ['os-build'],
    leaf: 'vm-native',
    last: vm('generic-vm-headless-aarch64'),
  },
  {
    name: 'GUI desktop in WSL2',
    fixture: 'wsl2-x86_64',
    needs: ['gui'],
    leaf: 'vm-native',
    last: vm('generic-vm-gui-x86_64'),
  },
  {
    name: 'nix-darwin broken fallback',
    fixture: 'darwin-x86_64',
    needs: ['darwin-broken'],
    leaf: 'vm-native',
    last: vm('generic-vm-headless-x86_64'),
  },
  {
    name: 'Windows host: VM inside WSL',
    fixture: 'windows-native',
    needs: ['system-test'],
    leaf: 'vm-native',
    last: ['wsl', '--', ...vm('generic-vm-headless-x86_64')],
  },
  {
    name: 'other arch is emulated',
    fixture: 'linux-x86_64',
    needs: ['system-test'],
    vmSystem: 'aarch64-linux',
    leaf: 'vm-emulated',
    last: vm('generic-vm-headless-aarch64'),
  },
  {
    name: 'no KVM: slow VM',
    fixture: 'broken-no-kvm',
    needs: ['os-build'],
    leaf: 'vm-slow',
    last: vm('generic-vm-headless-x86_64'),
  },
  {
    name: 'WSL1: fix the host',
    fixture: 'broken-wsl1',
    needs: ['iterate'],
    leaf: 'fix-host',
    last: ['crossflake', 'doctor'],
  },
];

describe('advise decision tree', () => {
  it.each(cases)('$name -> $leaf', ({ fixture, needs, vmSystem, leaf, last }) => {
    const advice = advise({
      needs,
      facts: recordedFacts(fixture),
      flake: '.',
      shell: 'default',
      vmSystem,
    });
    expect(advice.leaf).toBe(leaf);
    expect(advice.commands.at(-1)).toEqual(last);
    expect(advice.reasons.length).toBeGreaterThan(0);
  });

  it('reaches every leaf of the tree', () => {
    const leaves: Leaf[] = [
      'fix-host',
      'dev-shell',
      'dev-shell-ci',
      'vm-native',
      'vm-emulated',
      'vm-slow',
    ];
    expect(new Set(cases.map((c) => c.leaf))).toEqual(new Set(leaves));
  });

  it('asks about every need at least once', () => {
    expect(new Set(cases.flatMap((c) => c.needs))).toEqual(new Set(Object.keys(NEEDS)));
  });

  it('without Nix, the first command installs it', () => {
    const advice = advise({
      needs: [],
      facts: recordedFacts('broken-no-nix'),
      flake: '.',
      shell: 'python',
    });
    expect(advice.commands[0]?.join(' ')).toContain('nixos.org/nix/install');
    expect(advice.commands.at(-1)).toEqual(['nix', 'develop', '.#python']);
  });

  it('on a Mac, a VM needs the Linux builder first', () => {
    const advice = advise({
      needs: ['system-test'],
      facts: recordedFacts('darwin-aarch64'),
      flake: '.',
      shell: 'default',
    });
    expect(advice.commands.some((c) => c.join(' ').includes('linux-builder'))).toBe(true);
  });

  it('slow and emulated VMs carry a warning', () => {
    const slow = advise({
      needs: ['gui'],
      facts: recordedFacts('broken-no-kvm'),
      flake: '.',
      shell: 'default',
    });
    expect(slow.warnings.join(' ')).toMatch(/KVM/);
  });

  it('CI never recommends a VM, and says so when one was asked for', () => {
    const advice = advise({
      needs: ['ci', 'gui'],
      facts: recordedFacts('linux-x86_64'),
      flake: '.',
      shell: 'default',
    });
    expect(advice.mode).toBe('dev-shell');
    expect(advice.reasons.join(' ')).toMatch(/never VMs in CI/);
  });
});
