// doctor as a real win32 process: Node's Windows build under Wine, asking a
// stand-in wsl.exe that answers with recorded real outputs of each release.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { checkLane, laneWork, makeStub, runWindows, type Scenario } from './lane.js';

const work = laneWork();
beforeAll(() => checkLane());
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Check {
  id: string;
  status: string;
  summary: string;
  fix?: string;
}

const expected: Record<Scenario, { status: string; summary: RegExp; version: string | null }> = {
  '2.4.13': { status: 'pass', summary: /^WSL 2\.4\.13\.0, 0 distro/, version: '2.4.13.0' },
  '2.3.26': { status: 'warn', summary: /WSL 2\.3\.26\.0: .*wsl --import/, version: '2.3.26.0' },
  inbox: { status: 'warn', summary: /inbox WSL/, version: null },
  absent: { status: 'fail', summary: /WSL is not installed/, version: null },
};

describe('doctor as a Windows process (Wine, stand-in wsl.exe with recorded outputs)', () => {
  for (const scenario of Object.keys(expected) as Scenario[]) {
    it(`WSL ${scenario}: finds Windows, reads wsl.exe, exits as the verdict says`, async () => {
      const stub = makeStub(scenario, join(work, scenario));
      const res = await runWindows(['doctor', '--json'], { stub });
      const report = JSON.parse(res.stdout) as {
        row: string;
        checks: Check[];
        facts: {
          os: { kernel: string };
          windows: { wslInstalled: boolean; wslVersion: string | null };
        };
      };
      expect(report.facts.os.kernel).toBe('windows');
      expect(report.row).toBe('wsl2-x86_64');
      const wsl = report.checks.find((c) => c.id === 'windows-wsl') as Check;
      expect(wsl.status).toBe(expected[scenario].status);
      expect(wsl.summary).toMatch(expected[scenario].summary);
      expect(report.facts.windows.wslInstalled).toBe(scenario !== 'absent');
      // The free disk that matters is the distro's drive, not a /nix.
      const disk = report.checks.find((c) => c.id === 'disk-space') as Check;
      expect(disk.summary).toMatch(/ GiB free on C:\\ \(where the WSL distro's disk goes\)$/);
      expect(report.facts.windows.wslVersion).toBe(expected[scenario].version);
      // The probes doctor runs, exactly; a machine without WSL is not asked.
      const calls = stub
        .calls()
        .map((c) => c.join(' '))
        .sort();
      expect(calls).toEqual(
        scenario === 'absent' ? [] : ['--list --verbose', '--status', '--version'],
      );
      expect(res.code).toBe(scenario === 'absent' ? 1 : res.code);
      expect(res.stderr).not.toMatch(/internal error|^\s+at /m);
    });
  }
});
