// How Nix was installed decides every fix doctor prints and the step onboard
// plans. The probe evidence under test/fixtures/host/install/ replays through
// the live classifier (see its README for where each output comes from);
// one test probes this machine's real nix.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readdirSync, realpathSync } from 'node:fs';
import { checks } from '../../src/doctor/checks/index.js';
import { runDoctor } from '../../src/doctor/report.js';
import { settingFixText } from '../../src/doctor/install-fixes.js';
import type { HostFacts, NixFacts } from '../../src/io/host/facts.js';
import { gatherInstallEvidence } from '../../src/io/host/nix-install.js';
import { classifyInstall, parseOwner } from '../../src/io/host/nix-install-parse.js';
import { which } from '../../src/io/proc.js';
import { validatePlan } from '../../src/onboard/validate-plan.js';
import { adaPlan } from '../helpers/onboard-plan.js';
import { hostWithInstall, installFixtures, recordedFacts } from '../helpers/facts.js';
import { needsNix, nixVersion } from '../helpers/nix.js';

const dir = installFixtures;
const hostWith = hostWithInstall;

const plan = (facts: HostFacts) => adaPlan(facts);
const fixOf = (facts: HostFacts, id: string) =>
  runDoctor(facts, checks).checks.find((c) => c.id === id)!;
const ids = (p: ReturnType<typeof plan>) => p.steps.map((s) => s.id);
const step = (p: ReturnType<typeof plan>, id: string) => p.steps.find((s) => s.id === id)!;

interface Case {
  method: string;
  /** The nix-version check: 'pass', or a fragment its fix must contain. */
  doctor: 'pass' | string;
  /** Fragments the fix must NOT contain (the wrong method's fix). */
  never?: string[];
  /** Onboard: the Nix steps it plans first, or the blocker it reports. */
  onboard: { steps: string[]; first?: string[] } | { problem: string };
}

const CASES: Record<string, Case> = {
  'linux-official-daemon': {
    method: 'official-daemon',
    doctor: 'pass',
    onboard: { steps: ['download-nix-installer', 'install-nix'] },
  },
  'linux-official-daemon-old': {
    method: 'official-daemon',
    doctor: '`sudo -i nix upgrade-nix`, then `sudo systemctl restart nix-daemon`',
    onboard: {
      steps: ['upgrade-nix', 'restart-nix-daemon'],
      first: ['sudo', '-i', 'nix', 'upgrade-nix'],
    },
  },
  'linux-official-single-user': {
    method: 'official-single-user',
    doctor: '`nix upgrade-nix`',
    never: ['sudo'],
    onboard: { steps: ['upgrade-nix'], first: ['nix', 'upgrade-nix'] },
  },
  'linux-determinate': {
    method: 'determinate',
    doctor: 'pass',
    onboard: { steps: ['download-nix-installer', 'install-nix'] },
  },
  'linux-lix': {
    method: 'lix',
    doctor: 'pass',
    onboard: { steps: ['download-nix-installer', 'install-nix'] },
  },
  'linux-debian-nix-bin': {
    method: 'distro',
    doctor:
      '`sudo apt-get remove --yes nix-bin`, then `sh <(curl -L https://nixos.org/nix/install) --daemon`',
    never: ['upgrade-nix`'],
    onboard: {
      steps: ['remove-distro-nix', 'download-nix-installer', 'install-nix'],
      first: ['sudo', 'apt-get', 'remove', '--yes', 'nix-bin'],
    },
  },
  'linux-ubuntu-nix-bin-multiarch': {
    method: 'distro',
    doctor: '`sudo apt-get remove --yes nix-bin`',
    never: ['upgrade-nix`', 'amd64'],
    onboard: { steps: ['remove-distro-nix', 'download-nix-installer', 'install-nix'] },
  },
  'linux-fedora-rpm': {
    method: 'distro',
    doctor: '`sudo dnf remove --assumeyes nix`, then',
    never: ['upgrade-nix`'],
    onboard: {
      steps: ['remove-distro-nix', 'download-nix-installer', 'install-nix'],
      first: ['sudo', 'dnf', 'remove', '--assumeyes', 'nix'],
    },
  },
  'linux-arch-pacman': {
    method: 'distro',
    doctor: '`sudo pacman -Syu nix`',
    never: ['upgrade-nix`'],
    onboard: {
      steps: ['upgrade-nix', 'restart-nix-daemon'],
      first: ['sudo', 'pacman', '-Syu', 'nix'],
    },
  },
  'linux-nixos-old': {
    method: 'nixos',
    doctor: '`nix.package = pkgs.nixVersions.latest;`',
    never: ['upgrade-nix`'],
    onboard: { problem: 'nixos-rebuild switch' },
  },
  'wsl-nixos': {
    method: 'nixos',
    doctor: 'pass',
    onboard: { steps: ['download-nix-installer', 'install-nix'] },
  },
  'wsl-ubuntu-official-daemon': {
    method: 'official-daemon',
    doctor: '`sudo -i nix upgrade-nix`, then `sudo systemctl restart nix-daemon`',
    onboard: { steps: ['upgrade-nix', 'restart-nix-daemon'] },
  },
  'linux-unknown': {
    method: 'unknown',
    doctor: 'upgrade it the way it was installed',
    never: ['upgrade-nix`'],
    onboard: { problem: 'cannot tell how this Nix was installed' },
  },
  'darwin-official-daemon': {
    method: 'official-daemon',
    doctor:
      '`sudo -i nix upgrade-nix`, then `sudo launchctl kickstart -k system/org.nixos.nix-daemon`',
    onboard: { steps: ['upgrade-nix', 'restart-nix-daemon'] },
  },
  'darwin-determinate': {
    method: 'determinate',
    doctor: 'pass',
    onboard: { steps: ['download-nix-installer', 'install-nix'] },
  },
  'darwin-determinate-old-nix-text': {
    method: 'determinate',
    doctor: '`sudo determinate-nixd upgrade`',
    never: ['upgrade-nix`'],
    onboard: { steps: ['upgrade-nix'], first: ['sudo', 'determinate-nixd', 'upgrade'] },
  },
  'darwin-lix': {
    method: 'lix',
    doctor: 'pass',
    onboard: { steps: ['download-nix-installer', 'install-nix'] },
  },
  'darwin-nix-darwin': {
    method: 'nix-darwin',
    doctor: 'set `nix.package` in the nix-darwin configuration',
    never: ['upgrade-nix`'],
    onboard: { problem: 'darwin-rebuild switch' },
  },
};

describe('install method from probe evidence (replayed through the live classifier)', () => {
  it('every evidence file has a case, and every method on its OS is covered', () => {
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.slice(0, -5));
    expect(files.sort()).toEqual(Object.keys(CASES).sort());
    const covered = new Set(
      Object.entries(CASES).map(([name, c]) => `${name.split('-')[0]}:${c.method}`),
    );
    for (const m of [
      'official-daemon',
      'official-single-user',
      'determinate',
      'lix',
      'distro',
      'nixos',
      'unknown',
    ]) {
      expect(covered, `linux ${m}`).toContain(`linux:${m}`);
    }
    for (const m of ['official-daemon', 'determinate', 'lix', 'nix-darwin']) {
      expect(covered, `darwin ${m}`).toContain(`darwin:${m}`);
    }
    expect(covered).toContain('wsl:nixos');
    expect(covered).toContain('wsl:official-daemon');
  });

  for (const [name, c] of Object.entries(CASES)) {
    describe(name, () => {
      const facts = hostWith(name);
      it(`is ${c.method}, with evidence named`, () => {
        expect(facts.nix !== 'unknown' && facts.nix.install?.method).toBe(c.method);
        expect((facts.nix as NixFacts).install!.evidence.length).toBeGreaterThan(0);
      });
      it(`doctor: ${c.doctor === 'pass' ? 'the version passes' : 'the upgrade fix fits the method'}`, () => {
        const outcome = fixOf(facts, 'nix-version');
        if (c.doctor === 'pass') {
          expect(outcome.status).toBe('pass');
          return;
        }
        expect(outcome.status).toBe('fail');
        expect(outcome.fix).toContain(c.doctor);
        for (const wrong of c.never ?? []) expect(outcome.fix).not.toContain(wrong);
      });
      it('onboard: the Nix step follows doctor and the method, and the plan validates', async () => {
        const p = plan(facts);
        if ('problem' in c.onboard) {
          expect(p.problems.map((x) => x.fix).join('\n')).toContain(c.onboard.problem);
          expect(ids(p)).not.toContain('upgrade-nix');
          return;
        }
        const nixIds = ids(p).slice(0, c.onboard.steps.length);
        expect(nixIds).toEqual(c.onboard.steps);
        if (c.onboard.first) expect(p.steps[0]!.command).toEqual(c.onboard.first);
        if (c.doctor === 'pass') {
          expect(step(p, 'install-nix').doneWhen.kind).toBe('known');
        } else {
          // Never "already done" for a Nix that doctor fails.
          for (const s of p.steps.slice(0, c.onboard.steps.length))
            expect(s.doneWhen.kind).not.toBe('known');
          expect(step(p, c.onboard.steps[0]!).why).toContain('older than 2.18');
        }
        expect(p.problems).toEqual([]);
        expect(await validatePlan(p)).toEqual([]);
      });
    });
  }
});

describe('fixes that depend on the method besides the version', () => {
  it('Determinate on macOS: nix-darwin needs crossflake.darwin.determinateNix; init gets nixInstall', () => {
    const facts = { ...hostWith('darwin-determinate') };
    const darwin = fixOf(facts, 'nix-darwin');
    expect(darwin.summary).toContain('crossflake.darwin.determinateNix = true;');
    expect(step(plan(facts), 'init-config').command).toContain('nixInstall=determinate-nix');
    expect(
      step(plan(hostWith('darwin-official-daemon')), 'init-config').command.join(' '),
    ).not.toContain('nixInstall');
  });

  it('a nix.conf setting goes where each method reads it', () => {
    expect(settingFixText(hostWith('darwin-determinate'), 'trusted-users', 'root ada')).toBe(
      'Add "trusted-users = root ada" to /etc/nix/nix.custom.conf, then `sudo launchctl kickstart -k system/systems.determinate.nix-daemon`',
    );
    expect(settingFixText(hostWith('linux-nixos-old'), 'trusted-users', 'root ada')).toBe(
      'Set `nix.settings.trusted-users = [ "root" "ada" ];` in the system configuration, then `sudo nixos-rebuild switch`',
    );
    expect(
      settingFixText(hostWith('darwin-nix-darwin'), 'substituters', 'https://cache.nixos.org'),
    ).toContain('sudo darwin-rebuild switch');
    expect(settingFixText(hostWith('linux-official-single-user'), 'substituters', 'x')).toBe(
      'Add "substituters = x" to ~/.config/nix/nix.conf',
    );
    expect(settingFixText(hostWith('linux-debian-nix-bin'), 'substituters', 'x')).toBe(
      'Add "substituters = x" to /etc/nix/nix.conf, then `sudo systemctl restart nix-daemon`',
    );
  });

  it("Debian's single-user nix-bin gets Debian's daemon package, not a reinstall", () => {
    const daemon = fixOf(hostWith('linux-debian-nix-bin'), 'nix-daemon');
    expect(daemon.status).toBe('warn');
    expect(daemon.fix).toContain('sudo apt-get install nix-setup-systemd');
    expect(fixOf(hostWith('linux-official-single-user'), 'nix-daemon').fix).toContain('--daemon');
  });

  it('the package owner parsers read each manager and refuse what names no owner', () => {
    expect(
      parseOwner('dpkg', 'diversion by foo from: /usr/bin/nix\nnix-bin:arm64: /usr/bin/nix\n'),
    ).toBe('nix-bin');
    expect(parseOwner('dpkg', 'dpkg-query: no path found matching pattern /opt/nix\n')).toBeNull();
    expect(parseOwner('rpm', 'file /opt/nix/bin/nix is not owned by any package\n')).toBeNull();
    expect(parseOwner('pacman', 'error: No package owns /opt/nix\n')).toBeNull();
  });
});

describe('the recorded Debian host (doctor --save-facts on Debian 12 with nix-bin 2.8.0)', () => {
  const facts = recordedFacts('broken-old-nix-debian');
  it('says distro nix-bin, and the fix is not `nix upgrade-nix`', () => {
    const version = fixOf(facts, 'nix-version');
    expect(version.status).toBe('fail');
    expect(version.fix).toContain('sudo apt-get remove --yes nix-bin');
    expect(version.fix).not.toMatch(/nix upgrade-nix`/);
  });
});

describe(`the live probe on this machine${needsNix}`, () => {
  it.skipIf(!nixVersion)(
    'classifies the nix on PATH from its real path and owning package',
    async () => {
      const nixPath = which('nix')!;
      const e = await gatherInstallEvidence(
        'linux',
        nixPath,
        `${nixVersion}\n`,
        'unknown',
        process.env,
      );
      expect(e.realPath).toBe(realpathSync(nixPath));
      const install = classifyInstall(e);
      let dpkgOwner: string | null = null;
      try {
        dpkgOwner = execFileSync('dpkg', ['-S', realpathSync(nixPath)], { encoding: 'utf8' });
      } catch {
        dpkgOwner = null;
      }
      if (dpkgOwner !== null && !realpathSync(nixPath).startsWith('/nix/store/')) {
        // Debian's nix-bin, as .ci/run installs it.
        expect(install.method).toBe('distro');
        expect(install.distro?.package).toBe(dpkgOwner.split(':')[0]);
      } else {
        expect(install.method).not.toBe('distro');
      }
    },
  );
});
