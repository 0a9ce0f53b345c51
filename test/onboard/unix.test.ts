import { describe, expect, it } from 'vitest';
import type { HostFacts } from '../../src/io/host/facts.js';
import { planUnix, type UnixPlanOptions } from '../../src/onboard/plan-unix.js';
import { recordedFacts } from '../helpers/facts.js';

const options = (flow: 'macos' | 'linux', homeOnly = false): UnixPlanOptions => ({
  flow,
  homeOnly,
  dir: '/home/ada/nix-config',
  user: 'ada',
  host: 'ada-box',
  from: 'github:acme/team-config',
  installerPath: '/home/ada/.local/state/crossflake/nix-install.sh',
});
const plan = (facts: HostFacts, flow: 'macos' | 'linux', homeOnly = false) => {
  const p = planUnix(
    { ...facts, user: { ...facts.user, home: '/home/ada' } },
    options(flow, homeOnly),
  );
  return { ...p, step: (id: string) => p.steps.find((s) => s.id === id) };
};
const initArgs = (template: string, system: string, withHost = true) => [
  'crossflake',
  'init',
  template,
  '/home/ada/nix-config',
  '-p',
  'username=ada',
  ...(withHost ? ['-p', 'hostname=ada-box'] : []),
  '-p',
  `system=${system}`,
  '--flake',
  'github:acme/team-config',
  '--non-interactive',
  '--git',
];
const fresh = (facts: HostFacts): HostFacts => ({
  ...facts,
  nix: {
    present: false,
    version: null,
    path: null,
    mode: 'unknown',
    config: null,
    darwinRebuild: false,
  },
});

describe('macOS and Linux plans for each platform row (recorded HostFacts)', () => {
  const rows: [
    fixture: string,
    flow: 'macos' | 'linux',
    template: string,
    system: string,
    activate: string[],
  ][] = [
    [
      'darwin-aarch64',
      'macos',
      'darwin',
      'aarch64-darwin',
      ['sudo', 'darwin-rebuild', 'switch', '--flake', '.#ada-box'],
    ],
    [
      'darwin-x86_64',
      'macos',
      'darwin',
      'x86_64-darwin',
      ['sudo', 'darwin-rebuild', 'switch', '--flake', '.#ada-box'],
    ],
    [
      'linux-x86_64',
      'linux',
      'bare-metal',
      'x86_64-linux',
      ['sudo', 'nixos-rebuild', 'switch', '--flake', '.#ada-box'],
    ],
    [
      'linux-aarch64',
      'linux',
      'wsl-home',
      'aarch64-linux',
      [
        'nix',
        '--extra-experimental-features',
        'nix-command flakes',
        'run',
        'home-manager/release-26.05',
        '--',
        'switch',
        '-b',
        'backup',
        '--flake',
        '.',
      ],
    ],
    [
      'wsl2-x86_64',
      'linux',
      'wsl-nixos',
      'x86_64-linux',
      ['sudo', 'nixos-rebuild', 'switch', '--flake', '.#ada-box'],
    ],
    [
      'wsl2-aarch64',
      'linux',
      'wsl-home',
      'aarch64-linux',
      [
        'nix',
        '--extra-experimental-features',
        'nix-command flakes',
        'run',
        'home-manager/release-26.05',
        '--',
        'switch',
        '-b',
        'backup',
        '--flake',
        '.',
      ],
    ],
  ];
  for (const [fixture, flow, template, system, activate] of rows) {
    it(`${fixture}: ${template} template, then ${activate.slice(0, 2).join(' ')}`, () => {
      const p = plan(recordedFacts(fixture), flow);
      expect(p.row).toBe(fixture);
      expect(p.problems).toEqual([]);
      expect(p.step('init-config')?.command).toEqual(
        initArgs(template, system, template !== 'wsl-home'),
      );
      expect(p.step('activate')?.command).toEqual(activate);
      expect(p.step('activate')?.cwd).toBe('/home/ada/nix-config');
      // Nix and flakes are already there on these hosts: shown, marked done.
      expect(p.step('install-nix')?.doneWhen).toMatchObject({
        kind: 'known',
        reason: expect.stringMatching(/^Nix \d/),
      });
      expect(p.step('enable-flakes')?.doneWhen).toEqual({
        kind: 'known',
        reason: 'flakes are already enabled',
      });
    });
  }

  it('a fresh Mac: the official installer (named, with why), then nix-darwin run from its flake', () => {
    const p = plan(fresh(recordedFacts('darwin-aarch64')), 'macos');
    expect(p.step('download-nix-installer')?.command).toEqual([
      'curl',
      '--proto',
      '=https',
      '--tlsv1.2',
      '-sSfL',
      '--create-dirs',
      '-o',
      '/home/ada/.local/state/crossflake/nix-install.sh',
      'https://nixos.org/nix/install',
    ]);
    expect(p.step('install-nix')?.command).toEqual([
      'sh',
      '/home/ada/.local/state/crossflake/nix-install.sh',
    ]);
    expect(p.step('install-nix')?.why).toContain('APFS volume');
    expect(p.step('install-nix')?.doneWhen).toEqual({
      kind: 'command-succeeds',
      command: ['/nix/var/nix/profiles/default/bin/nix', '--version'],
    });
    expect(p.step('enable-flakes')).toMatchObject({
      command: ['tee', '-a', '/home/ada/.config/nix/nix.conf'],
      input: 'experimental-features = nix-command flakes\n',
    });
    expect(p.step('activate')?.command).toEqual([
      'sudo',
      '/nix/var/nix/profiles/default/bin/nix',
      '--extra-experimental-features',
      'nix-command flakes',
      'run',
      'nix-darwin/nix-darwin-26.05#darwin-rebuild',
      '--',
      'switch',
      '--flake',
      '.#ada-box',
    ]);
    expect(p.afterwards).toEqual([['sudo', 'darwin-rebuild', 'switch', '--flake', '.#ada-box']]);
  });

  it('a Linux without Nix: the daemon installer; NixOS gets its hardware description first', () => {
    const p = plan(recordedFacts('broken-no-nix'), 'linux');
    expect(p.step('install-nix')?.command).toEqual([
      'sh',
      '/home/ada/.local/state/crossflake/nix-install.sh',
      '--daemon',
    ]);
    expect(p.step('install-nix')?.what).toContain('multi-user (daemon)');
    expect(p.step('hardware-config')).toMatchObject({
      command: ['nixos-generate-config', '--show-hardware-config'],
      stdoutTo: '/home/ada/nix-config/hosts/ada-box/hardware-configuration.nix',
    });
    expect(p.steps.map((s) => s.id).slice(-3)).toEqual([
      'hardware-config',
      'git-add-hardware',
      'activate',
    ]);
  });

  it('a non-NixOS WSL distro without Nix installs like bare-metal Linux', () => {
    const p = plan(fresh(recordedFacts('wsl2-aarch64')), 'linux');
    expect(p.step('install-nix')?.command.at(-1)).toBe('--daemon');
  });

  it('--home-only on NixOS: wsl-home and home-manager, afterwards home-manager switch --flake .', () => {
    const p = plan(recordedFacts('linux-x86_64'), 'linux', true);
    expect(p.step('init-config')?.command[2]).toBe('wsl-home');
    // The first switch meets /etc/skel's dotfiles: -b backup keeps them instead of stopping.
    expect(p.step('activate')?.command.slice(-6)).toEqual([
      '--',
      'switch',
      '-b',
      'backup',
      '--flake',
      '.',
    ]);
    expect(p.afterwards).toEqual([['home-manager', 'switch', '--flake', '.']]);
  });

  it('the wrong flow for the facts is a blocker', () => {
    expect(plan(recordedFacts('darwin-aarch64'), 'linux').problems[0]?.fix).toBe(
      'Use `crossflake onboard macos`',
    );
    expect(plan(recordedFacts('windows-native'), 'macos').problems[0]?.fix).toBe(
      'Use `crossflake onboard wsl`',
    );
  });
});
