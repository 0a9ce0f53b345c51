import { describe, expect, it } from 'vitest';
import { checks } from '../../src/doctor/checks/index.js';
import { runDoctor } from '../../src/doctor/report.js';
import { renderReport } from '../../src/doctor/render.js';
import { colors } from '../../src/ui/color.js';
import { recordedFacts } from '../helpers/facts.js';
import type { CheckStatus } from '../../src/doctor/check.js';

interface Case {
  fixture: string;
  row: string | null;
  exit: 0 | 1;
  statuses: Record<string, CheckStatus>;
}

const cases: Case[] = [
  {
    fixture: 'linux-x86_64',
    row: 'linux-x86_64',
    exit: 0,
    statuses: { 'platform-row': 'pass', kvm: 'pass', 'cross-arch': 'pass', flakes: 'pass' },
  },
  {
    fixture: 'linux-aarch64',
    row: 'linux-aarch64',
    exit: 0,
    statuses: { 'platform-row': 'pass', 'cross-arch': 'warn', 'wsl-version': 'n/a' },
  },
  {
    fixture: 'wsl2-x86_64',
    row: 'wsl2-x86_64',
    exit: 0,
    statuses: { 'wsl-version': 'pass', 'wsl-systemd': 'pass', kvm: 'pass' },
  },
  {
    fixture: 'wsl2-aarch64',
    row: 'wsl2-aarch64',
    exit: 0,
    statuses: { 'platform-row': 'warn', kvm: 'warn' },
  },
  {
    fixture: 'darwin-aarch64',
    row: 'darwin-aarch64',
    exit: 0,
    statuses: {
      rosetta: 'pass',
      'nix-darwin': 'pass',
      'cross-arch': 'n/a',
      'trusted-user': 'pass',
    },
  },
  {
    fixture: 'darwin-x86_64',
    row: 'darwin-x86_64',
    exit: 0,
    statuses: { 'platform-row': 'warn', rosetta: 'n/a' },
  },
  {
    fixture: 'windows-native',
    row: 'wsl2-x86_64',
    exit: 0,
    statuses: { 'windows-wsl': 'pass', 'nix-installed': 'n/a', 'wsl-version': 'pass' },
  },
  {
    fixture: 'broken-no-nix',
    row: 'linux-x86_64',
    exit: 1,
    statuses: { 'nix-installed': 'fail', flakes: 'n/a', 'nix-version': 'n/a' },
  },
  {
    fixture: 'broken-no-flakes',
    row: 'linux-aarch64',
    exit: 1,
    statuses: { flakes: 'fail', 'nix-installed': 'pass' },
  },
  { fixture: 'broken-old-nix', row: 'linux-x86_64', exit: 1, statuses: { 'nix-version': 'fail' } },
  {
    fixture: 'broken-wsl1',
    row: null,
    exit: 1,
    statuses: { 'platform-row': 'fail', 'wsl-version': 'fail', 'wsl-systemd': 'n/a' },
  },
  {
    fixture: 'broken-wsl2-no-systemd',
    row: 'wsl2-x86_64',
    exit: 1,
    statuses: { 'wsl-systemd': 'fail', 'wsl-version': 'pass' },
  },
  { fixture: 'broken-rosetta', row: 'darwin-aarch64', exit: 0, statuses: { rosetta: 'warn' } },
  { fixture: 'broken-no-kvm', row: 'linux-x86_64', exit: 0, statuses: { kvm: 'warn' } },
  {
    fixture: 'broken-windows-no-wsl',
    row: 'wsl2-x86_64',
    exit: 1,
    statuses: { 'windows-wsl': 'fail' },
  },
];

describe('doctor on recorded HostFacts', () => {
  it.each(cases)('$fixture: row $row, exit $exit', ({ fixture, row, exit, statuses }) => {
    const report = runDoctor(recordedFacts(fixture), checks);
    expect(report.row?.id ?? null).toBe(row);
    expect(report.exitCode).toBe(exit);
    const got = Object.fromEntries(report.checks.map((c) => [c.id, c.status]));
    for (const [id, status] of Object.entries(statuses))
      expect({ id, status: got[id] }).toEqual({ id, status });
  });

  it('every check has a one-line fix whenever it warns or fails', () => {
    for (const { fixture } of cases) {
      for (const c of runDoctor(recordedFacts(fixture), checks).checks) {
        if (c.status === 'warn' || c.status === 'fail') {
          expect(c.fix, `${fixture}/${c.id}`).toBeTruthy();
          expect(c.fix).not.toContain('\n');
        }
      }
    }
  });

  it('no Nix: the fix is the install command of the matched row', () => {
    const report = runDoctor(recordedFacts('broken-no-nix'), checks);
    expect(report.checks.find((c) => c.id === 'nix-installed')?.fix).toContain(
      'nixos.org/nix/install',
    );
  });

  it('WSL2 without systemd says how to enable it', () => {
    const report = runDoctor(recordedFacts('broken-wsl2-no-systemd'), checks);
    expect(report.checks.find((c) => c.id === 'wsl-systemd')?.fix).toMatch(
      /systemd=true.*wsl\.conf/,
    );
  });

  it('Rosetta is named as an x86_64 shell on Apple Silicon', () => {
    const report = runDoctor(recordedFacts('broken-rosetta'), checks);
    expect(report.checks.find((c) => c.id === 'rosetta')?.summary).toMatch(
      /x86_64 shell on Apple Silicon/,
    );
  });

  it('x86_64-darwin warns that support ends after nixpkgs 26.05', () => {
    const report = runDoctor(recordedFacts('darwin-x86_64'), checks);
    expect(report.checks.find((c) => c.id === 'platform-row')?.summary).toMatch(
      /ends after nixpkgs 26\.05/,
    );
  });

  it('the text report names the row, lists every check and the fixes', () => {
    const report = runDoctor(recordedFacts('broken-no-flakes'), checks);
    const text = renderReport(report, colors(false));
    expect(text.split('\n')[0]).toContain('Bare-metal Linux aarch64');
    for (const c of checks) expect(text).toContain(c.title);
    expect(text).toMatch(/How to fix:\n.*Flakes enabled: Enable flakes/);
    expect(text).toContain('A required check failed.');
  });
});
