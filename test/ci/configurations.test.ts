// CI that builds what the team uses: every NixOS, nix-darwin and home-manager
// configuration of the flake, in a job per system on the runner that builds
// it natively, plus the flake.lock in-sync check. From the recorded `nix eval`
// of test/fixtures/ci/configs (checked against a live eval in outputs.test.ts),
// parsed back from the emitted YAML.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ACTIONS } from '../../src/ci/actions.js';
import { configurationInstallable } from '../../src/ci/configurations.js';
import { CI_FILES, generateFiles } from '../../src/ci/generate.js';
import type { GenerateInput, Workflow } from '../../src/ci/model.js';
import { UserError } from '../../src/command.js';
import { makeInput, recordedOutputs } from './helpers/input.js';

function ciYml(input: GenerateInput): { wf: Workflow; text: string } {
  const text = generateFiles(input, 'github').find((f) => f.path === CI_FILES.ci)!.content;
  return { wf: parse(text) as Workflow, text };
}

const INSTALLABLE = {
  nixos: (n: string) => `.#nixosConfigurations.${n}.config.system.build.toplevel`,
  darwin: (n: string) => `.#darwinConfigurations.${n}.system`,
  home: (n: string) => `.#homeConfigurations."${n}".activationPackage`,
};

describe('configuration jobs in ci.yml', () => {
  it('one job per system, on the native runner, building every configuration of that system', () => {
    const { wf } = ciYml(makeInput('configs'));
    const jobs = Object.entries(wf.jobs).filter(([id]) => id.startsWith('configurations-'));
    expect(Object.fromEntries(jobs.map(([id, job]) => [id, job['runs-on']]))).toEqual({
      'configurations-aarch64-darwin': 'macos-15',
      'configurations-aarch64-linux': 'ubuntu-24.04-arm',
      'configurations-x86_64-darwin': 'macos-15-intel',
      'configurations-x86_64-linux': 'ubuntu-24.04',
    });
    // Every configuration the fixture has on a hosted system is built exactly
    // once, in the job of its system, with its kind's top-level attribute.
    const built = jobs.flatMap(([id, job]) =>
      job.steps
        .filter((s) => s.run?.startsWith('nix build'))
        .map((s) => `${id.slice('configurations-'.length)} ${s.run}`),
    );
    const expected = recordedOutputs('configs')
      .configurations.filter((c) => c.system !== 'riscv64-linux')
      .map((c) => {
        const installable = INSTALLABLE[c.kind](c.name);
        const word = installable.includes('"') ? `'${installable}'` : installable;
        return `${c.system} nix build --no-link --print-build-logs ${word}`;
      });
    expect(built.sort()).toEqual(expected.sort());
    expect(built).toHaveLength(6);
  });

  it('each build step names its configuration; set-up first (checkout, Nix, the team cache)', () => {
    const { wf } = ciYml(makeInput('configs'));
    const job = wf.jobs['configurations-x86_64-linux']!;
    expect(job.steps.map((s) => s.uses ?? s.name)).toEqual([
      ACTIONS.checkout,
      ACTIONS.installNix,
      ACTIONS.cacheNix,
      'build homeConfigurations.alice@workstation',
      'build nixosConfigurations.workstation',
    ]);
  });

  it('a configuration of a system no hosted runner has is listed in the file as not covered', () => {
    const { wf, text } = ciYml(makeInput('configs'));
    expect(text).toMatch(
      /^# Not covered here \(no hosted runner builds the system\): nixosConfigurations\.board \(riscv64-linux\)\.$/m,
    );
    expect(Object.keys(wf.jobs)).not.toContain('configurations-riscv64-linux');
    expect(JSON.stringify(wf.jobs)).not.toContain('board');
  });

  it("the team's binary cache from crossflake.json is configured on the runner", () => {
    const { wf } = ciYml(
      makeInput('configs', {
        ci: { cache: 'cachix', cachix: { name: 'company' } },
        health: {
          substituters: ['https://cache.company.example'],
          trustedPublicKeys: ['company-1:AAAA'],
        },
      }),
    );
    const steps = wf.jobs['configurations-aarch64-darwin']!.steps;
    const nix = steps.find((s) => s.uses === ACTIONS.installNix)!;
    expect(String(nix.with!.extra_nix_config).split('\n')).toEqual([
      'experimental-features = nix-command flakes',
      'extra-substituters = https://cache.company.example',
      'extra-trusted-public-keys = company-1:AAAA',
    ]);
    expect(steps.find((s) => s.uses === ACTIONS.cachix)?.with).toMatchObject({ name: 'company' });
  });

  it('the check matrix follows the systems that have configurations', () => {
    const { wf } = ciYml(makeInput('configs'));
    const rows = wf.jobs.check!.strategy!.matrix.include.map((r) => r.system);
    expect(rows).toEqual(['x86_64-linux', 'aarch64-linux', 'aarch64-darwin', 'x86_64-darwin']);
    const linuxOnly = recordedOutputs('configs');
    linuxOnly.configurations = linuxOnly.configurations.filter((c) => c.system === 'x86_64-linux');
    linuxOnly.checks = {};
    const only = ciYml(makeInput(linuxOnly)).wf;
    expect(only.jobs.check!.strategy!.matrix.include.map((r) => r.system)).toEqual([
      'x86_64-linux',
    ]);
  });

  it('a flake.lock in-sync job runs nix flake lock --no-update-lock-file', () => {
    const { wf } = ciYml(makeInput('linux-only'));
    const lock = wf.jobs['flake-lock']!;
    expect(lock['runs-on']).toBe('ubuntu-24.04');
    expect(lock.steps.map((s) => s.run).filter(Boolean)).toEqual([
      'nix flake lock --no-update-lock-file',
    ]);
  });

  it('a configuration name that is not a plain name is quoted in the attribute path; one with shell syntax is refused', () => {
    expect(configurationInstallable({ kind: 'home', name: 'bob@pc', system: 'x86_64-linux' })).toBe(
      '.#homeConfigurations."bob@pc".activationPackage',
    );
    expect(() =>
      configurationInstallable({ kind: 'nixos', name: 'a;rm -rf ~', system: 'x86_64-linux' }),
    ).toThrow(UserError);
    const outputs = recordedOutputs('configs');
    outputs.configurations.push({ kind: 'nixos', name: '$(id)', system: 'x86_64-linux' });
    expect(() => generateFiles(makeInput(outputs), 'github')).toThrow(/nixosConfigurations name/);
  });
});

describe('configuration jobs in .gitlab-ci.yml', () => {
  it('Linux configurations are built on the hosted Linux runners; the rest is listed as not covered', () => {
    const [file] = generateFiles(makeInput('configs'), 'gitlab');
    const doc = parse(file!.content) as Record<string, { tags: string[]; script: string[] }>;
    expect(doc['configurations:x86_64-linux']!.tags).toEqual(['saas-linux-small-amd64']);
    expect(doc['configurations:x86_64-linux']!.script).toEqual([
      `nix build --no-link --print-build-logs '.#homeConfigurations."alice@workstation".activationPackage'`,
      'nix build --no-link --print-build-logs .#nixosConfigurations.workstation.config.system.build.toplevel',
    ]);
    expect(doc['configurations:aarch64-linux']!.script).toHaveLength(1);
    expect(doc['flake-lock']!.script).toEqual(['nix flake lock --no-update-lock-file']);
    const header = file!.content.split('\n').find((l) => l.startsWith('# Not covered'))!;
    for (const name of [
      'darwinConfigurations.imac',
      'darwinConfigurations.macbook',
      'homeConfigurations.alice@macbook',
      'nixosConfigurations.board',
    ]) {
      expect(header).toContain(name);
    }
  });
});
