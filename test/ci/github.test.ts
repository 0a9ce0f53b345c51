// The shape of the generated GitHub workflows: the matrix, the VM opt-in,
// the release jobs, pins and headers. Parsed back from the emitted YAML, so
// these assertions hold for the text that is committed, not just the model.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import platforms from '../../data/platforms.json' with { type: 'json' };
import { readFileSync } from 'node:fs';
import { ACTIONS } from '../../src/ci/actions.js';
import { HTTP_STORE_SECRETS, OCI_STORE_SECRETS } from '../../src/ci/store-release.js';
import { CI_FILES, generateFiles } from '../../src/ci/generate.js';
import type { GenerateInput, Workflow } from '../../src/ci/model.js';
import { UserError } from '../../src/command.js';
import { validateTeamConfig } from '../../src/teamconfig/validate.js';
import { CONFIGS, makeInput, recordedOutputs } from './helpers/input.js';

function workflows(input: GenerateInput): {
  ci: Workflow;
  release: Workflow | undefined;
  text: Record<string, string>;
} {
  const files = generateFiles(input, 'github');
  const text = Object.fromEntries(files.map((f) => [f.path, f.content]));
  const release = text[CI_FILES.release];
  return {
    ci: parse(text[CI_FILES.ci]!) as Workflow,
    release: release === undefined ? undefined : (parse(release) as Workflow),
    text,
  };
}

const include = (wf: Workflow, job = 'check') =>
  wf.jobs[job]!.strategy!.matrix.include as { row: string; system: string; runner: string }[];

describe('ci.yml matrix', () => {
  it('runs each system on the runner label data/platforms.json gives it', () => {
    const { ci } = workflows(makeInput('full'));
    const expected = platforms.rows
      .filter((r) => r.runner)
      .map((r) => ({ row: r.id, system: r.nixSystem, runner: r.runner!.label }));
    expect(include(ci)).toEqual(expected);
    expect(Object.fromEntries(include(ci).map((e) => [e.system, e.runner]))).toEqual({
      'x86_64-linux': 'ubuntu-24.04',
      'aarch64-linux': 'ubuntu-24.04-arm',
      'aarch64-darwin': 'macos-15',
      'x86_64-darwin': 'macos-15-intel',
    });
    expect(ci.jobs.check!['runs-on']).toBe('${{ matrix.runner }}');
  });

  it('never names the retired macos-13 runner', () => {
    const { text } = workflows(makeInput('full'));
    for (const content of Object.values(text)) expect(content).not.toMatch(/macos-13/);
  });

  it('follows the flake: only systems with dev shells or checks, or every row for a templates-only flake', () => {
    expect(include(workflows(makeInput('linux-only')).ci).map((e) => e.system)).toEqual([
      'x86_64-linux',
    ]);
    expect(include(workflows(makeInput('templates-only')).ci)).toHaveLength(4);
  });

  it('the team config switches rows off and on', () => {
    const off = workflows(
      makeInput('full', { ci: { rows: { 'linux-aarch64': false, 'darwin-x86_64': false } } }),
    );
    expect(include(off.ci).map((e) => e.row)).toEqual(['linux-x86_64', 'darwin-aarch64']);
    const on = workflows(makeInput('linux-only', { ci: { rows: { 'darwin-aarch64': true } } }));
    expect(include(on.ci).map((e) => e.row)).toEqual(['linux-x86_64', 'darwin-aarch64']);
  });

  it('refuses a config that leaves no row', () => {
    expect(() =>
      workflows(makeInput('linux-only', { ci: { rows: { 'linux-x86_64': false } } })),
    ).toThrow(UserError);
  });

  it('has checkout, Nix install, cache, flake check, one step per dev shell and system, and template tests', () => {
    const { ci } = workflows(makeInput('full'));
    const steps = ci.jobs.check!.steps;
    expect(steps.slice(0, 4).map((s) => s.uses ?? s.run)).toEqual([
      ACTIONS.checkout,
      ACTIONS.installNix,
      ACTIONS.cacheNix,
      'nix flake check --print-build-logs',
    ]);
    const shells = steps.filter((s) => s.run?.startsWith('nix develop'));
    const outputs = recordedOutputs('full');
    const expected = Object.entries(outputs.devShells).flatMap(([system, names]) =>
      names.map((n) => `${system} nix develop .#${n} --command true`),
    );
    expect(shells.map((s) => `${/'(.+)'/.exec(s.if!)![1]} ${s.run}`).sort()).toEqual(
      expected.sort(),
    );
    expect(steps.find((s) => s.name === 'Templates')?.run).toBe(
      'nix run --inputs-from . crossflake#crossflake -- init --test',
    );
  });

  it('has no template step when the flake has no templates', () => {
    const { ci } = workflows(makeInput('linux-only'));
    expect(ci.jobs.check!.steps.some((s) => s.run?.includes('init --test'))).toBe(false);
  });
});

describe('VM tests in ci.yml', () => {
  it('are absent by default, even when the flake has a VM check', () => {
    const { ci, text } = workflows(makeInput('full'));
    expect(Object.keys(ci.jobs)).toEqual(['check', 'flake-lock']);
    expect(text[CI_FILES.ci]).not.toMatch(/kvm|vm-boot/i);
  });

  it('with the opt-in, run only on rows whose runner has KVM, never on aarch64', () => {
    const { ci } = workflows(
      makeInput('full', { ci: { vm: { enable: true, checks: ['vm-boot'] } } }),
    );
    const vm = ci.jobs['vm-tests']!;
    expect(include(ci, 'vm-tests')).toEqual([
      { row: 'linux-x86_64', system: 'x86_64-linux', runner: 'ubuntu-24.04' },
    ]);
    expect(
      vm.steps
        .map((s) => s.run)
        .filter(Boolean)
        .join('\n'),
    ).toContain('nix build --print-build-logs .#checks.x86_64-linux.vm-boot');
    expect(JSON.stringify(vm)).not.toMatch(/aarch64/);
    expect(vm.steps.find((s) => s.uses === ACTIONS.installNix)?.with?.extra_nix_config).toMatch(
      /kvm/,
    );
  });

  it('the check job evaluates everything but builds no VM check, on any row', () => {
    const { ci } = workflows(
      makeInput('full', { ci: { vm: { enable: true, checks: ['vm-boot'] } } }),
    );
    const checkSteps = ci.jobs.check!.steps.filter((s) => s.name.startsWith('nix flake check'));
    expect(checkSteps.map((s) => [s.if, s.run])).toEqual([
      [
        "matrix.system == 'x86_64-linux'",
        'nix flake check --no-build\nnix build --no-link --print-build-logs .#checks.x86_64-linux.fmt',
      ],
      [
        "matrix.system == 'aarch64-linux'",
        'nix flake check --no-build\nnix build --no-link --print-build-logs .#checks.aarch64-linux.fmt',
      ],
      ["matrix.system == 'aarch64-darwin'", 'nix flake check --print-build-logs'],
      ["matrix.system == 'x86_64-darwin'", 'nix flake check --print-build-logs'],
    ]);
    expect(JSON.stringify(ci.jobs.check)).not.toContain('vm-boot');
  });

  it('an aarch64 row claiming KVM still gets no VM job', () => {
    const rows = platforms.rows.map((r) =>
      r.id === 'linux-aarch64' ? { ...r, runner: { label: 'ubuntu-24.04-arm', kvm: true } } : r,
    );
    const input = makeInput(
      'full',
      { ci: { vm: { enable: true, checks: ['vm-boot'] }, rows: { 'linux-x86_64': false } } },
      { platformRows: rows },
    );
    expect(workflows(input).ci.jobs['vm-tests']).toBeUndefined();
  });

  it('opting in without naming a check is a config error', () => {
    expect(() => workflows(makeInput('full', { ci: { vm: { enable: true } } }))).toThrow(
      /ci\.vm\.checks/,
    );
  });
});

describe('release-images.yml', () => {
  it('has one build job per image system, each on a native runner, then one release job', () => {
    const { release } = workflows(makeInput('full'));
    const builds = Object.entries(release!.jobs).filter(([id]) => id.startsWith('build-'));
    expect(builds.map(([id, job]) => [id, job['runs-on']])).toEqual([
      ['build-aarch64-linux', 'ubuntu-24.04-arm'],
      ['build-x86_64-linux', 'ubuntu-24.04'],
    ]);
    for (const [id, job] of builds) {
      const system = id.slice('build-'.length);
      const runs = job.steps.map((s) => s.name);
      expect(runs).toContain('Free disk space');
      expect(runs.indexOf('Free disk space')).toBeLessThan(runs.indexOf('Install Nix'));
      expect(job.steps.find((s) => s.name === 'Build images')?.run).toBe(
        `nix run --inputs-from . crossflake#crossflake -- images build --only ${system}`,
      );
      expect(job.steps.find((s) => s.uses === ACTIONS.uploadArtifact)?.with?.name).toBe(
        `images-${system}`,
      );
    }
    const rel = release!.jobs.release!;
    expect(rel.needs).toEqual(['build-aarch64-linux', 'build-x86_64-linux']);
    expect(rel.if).toBe("github.ref_type == 'tag'");
    expect(rel.permissions).toEqual({ contents: 'write' });
    // Per-system dist/ folders are merged, not overwritten by the last download.
    const runs = rel.steps.map((s) => s.run ?? s.uses ?? '');
    const merge = runs.indexOf(
      'nix run --inputs-from . crossflake#crossflake -- images merge parts/* --dist dist',
    );
    expect(merge).toBeGreaterThan(runs.findIndex((r) => r.startsWith('actions/download-artifact')));
    expect(merge).toBe(runs.length - 2);
    const publish = rel.steps.at(-1)!;
    expect(publish.run).toBe(
      'nix run --inputs-from . crossflake#crossflake -- images release --tag "$TAG" --github "$REPO"',
    );
    expect(publish.env).toMatchObject({
      TAG: '${{ github.ref_name }}',
      REPO: '${{ github.repository }}',
    });
  });

  it('runs on tags and by hand', () => {
    const { release } = workflows(makeInput('full'));
    expect(release!.on).toEqual({ push: { tags: ['*'] }, workflow_dispatch: null });
  });

  it('checks the tag against VERSION only when the repo has one', () => {
    expect(workflows(makeInput('full')).release!.jobs.version).toBeUndefined();
    const { release } = workflows(makeInput('full', {}, { hasVersionFile: true }));
    const version = release!.jobs.version!;
    const step = version.steps.find((s) => s.run?.includes('VERSION'))!;
    expect(step.env).toEqual({ TAG: '${{ github.ref_name }}' });
    expect(step.run).toContain('"${TAG#v}" != "$want"');
    for (const id of ['build-x86_64-linux', 'build-aarch64-linux']) {
      expect(release!.jobs[id]!.needs).toEqual(['version']);
    }
  });

  it('is not generated for a flake without images', () => {
    expect(workflows(makeInput('linux-only')).release).toBeUndefined();
  });

  it('refuses an image system no hosted runner builds natively', () => {
    const outputs = recordedOutputs('full');
    outputs.images = [{ ...outputs.images[0]!, system: 'riscv64-linux' }];
    expect(() => workflows(makeInput(outputs))).toThrow(/no hosted runner builds riscv64-linux/);
  });
});

describe('release-images.yml with a team store (images.store)', () => {
  const cli = 'nix run --inputs-from . crossflake#crossflake --';
  const publishStep = (wf: Workflow) => wf.jobs['release-store']!.steps.at(-1)!;

  it('without a store there is no store job: the GitHub release as before', () => {
    const { release } = workflows(makeInput('full'));
    expect(Object.keys(release!.jobs)).toContain('release');
    expect(release!.jobs['release-store']).toBeUndefined();
    expect(JSON.stringify(release)).not.toContain('CROSSFLAKE_STORE');
  });

  it('an HTTP store: the release job publishes there with --to, the credentials from secrets of the same name', () => {
    const { release, text } = workflows(makeInput('full', CONFIGS['http-store']));
    // Images kept in company storage do not also go to a public GitHub release.
    expect(release!.jobs.release).toBeUndefined();
    const job = release!.jobs['release-store']!;
    expect(job.needs).toEqual(['build-aarch64-linux', 'build-x86_64-linux']);
    expect(job.if).toBe("github.ref_type == 'tag'");
    expect(job.permissions).toEqual({ contents: 'read' });
    const runs = job.steps.map((s) => s.run ?? s.uses ?? '');
    expect(runs).toContain(`${cli} images merge parts/* --dist dist`);
    const step = publishStep(release!);
    expect(step.run).toBe(`${cli} images release --tag "$TAG" --to "$STORE"`);
    expect(step.env).toEqual({
      TAG: '${{ github.ref_name }}',
      STORE: 'https://artifacts.example.com/generic/images/',
      CROSSFLAKE_STORE_TOKEN: '${{ secrets.CROSSFLAKE_STORE_TOKEN }}',
      CROSSFLAKE_STORE_USER: '${{ secrets.CROSSFLAKE_STORE_USER }}',
      CROSSFLAKE_STORE_PASSWORD: '${{ secrets.CROSSFLAKE_STORE_PASSWORD }}',
    });
    expect(text[CI_FILES.release]).toMatch(
      /^# The release to the team store needs the secret CROSSFLAKE_STORE_TOKEN \(Bearer\), or CROSSFLAKE_STORE_USER and CROSSFLAKE_STORE_PASSWORD \(Basic\); see docs\/images\.md\.$/m,
    );
  });

  it('an OCI registry: the repository as --to, CROSSFLAKE_OCI_USER/PASSWORD from secrets', () => {
    const { release } = workflows(makeInput('full', CONFIGS['oci-store']));
    const step = publishStep(release!);
    expect(step.env).toEqual({
      TAG: '${{ github.ref_name }}',
      STORE: 'oci://registry.example.com/team/images',
      CROSSFLAKE_OCI_USER: '${{ secrets.CROSSFLAKE_OCI_USER }}',
      CROSSFLAKE_OCI_PASSWORD: '${{ secrets.CROSSFLAKE_OCI_PASSWORD }}',
    });
    expect(release!.jobs['release-store']!.permissions).toEqual({ contents: 'read' });
  });

  it('ghcr.io: the workflow token with packages: write, no secret to create', () => {
    const { release, text } = workflows(makeInput('full', CONFIGS['ghcr-store']));
    expect(release!.jobs['release-store']!.permissions).toEqual({
      contents: 'read',
      packages: 'write',
    });
    expect(publishStep(release!).env).toMatchObject({
      CROSSFLAKE_OCI_USER: '${{ github.actor }}',
      CROSSFLAKE_OCI_PASSWORD: '${{ secrets.GITHUB_TOKEN }}',
    });
    expect(text[CI_FILES.release]).toContain('no secret to create');
  });

  it('every env value is an expression or the store address: no credential is ever inlined', () => {
    for (const name of ['http-store', 'oci-store', 'ghcr-store']) {
      const { release } = workflows(makeInput('full', CONFIGS[name]));
      for (const [key, value] of Object.entries(publishStep(release!).env!)) {
        if (key === 'STORE') expect(value).toMatch(/^(https|oci):\/\/[^@\s]+$/);
        else expect(value).toMatch(/^\$\{\{ (secrets\.[A-Z_]+|github\.(actor|ref_name)) \}\}$/);
      }
    }
  });

  it('a store URL cannot smuggle an expression or a credential into the workflow', () => {
    const { release } = workflows(
      makeInput('full', { images: { store: 'https://h.example/${{secrets.X}}/' } }),
    );
    expect(publishStep(release!).env!.STORE).toBe('https://h.example/$%7B%7Bsecrets.X%7D%7D/');
    expect(() =>
      workflows(makeInput('full', { images: { store: 'https://u:p@h.example/' } })),
    ).toThrow(/put no credentials in the URL/);
  });

  it('docs/images.md names every secret a generated store job reads', () => {
    const docs = readFileSync('docs/images.md', 'utf8');
    const section = docs.slice(docs.indexOf('## Releasing from CI to the team'));
    for (const name of [...HTTP_STORE_SECRETS, ...OCI_STORE_SECRETS])
      expect(section).toContain(`\`${name}\``);
  });

  it('no store job for a flake without images', () => {
    expect(workflows(makeInput('linux-only', CONFIGS['http-store'])).release).toBeUndefined();
  });
});

describe('every generated file', () => {
  const all = Object.values(CONFIGS).flatMap((config) =>
    Object.entries(workflows(makeInput('full', config, { hasVersionFile: true })).text),
  );

  it('starts with a comment naming the command that made it', () => {
    for (const [, content] of all) {
      expect(content.split('\n')[0]).toBe(
        '# Generated by `crossflake ci generate --write` from data/platforms.json,',
      );
    }
  });

  it('pins every action to a version tag from the one table of pins', () => {
    const pinned = new Set<string>(Object.values(ACTIONS));
    for (const [, content] of all) {
      const uses = [...content.matchAll(/uses: (\S+)/g)].map((m) => m[1]!);
      expect(uses.length).toBeGreaterThan(0);
      for (const u of uses) {
        expect(u).toMatch(/@v\d+(\.\d+){0,2}$/);
        expect(pinned.has(u)).toBe(true);
      }
    }
  });
});

describe('cache choice and secrets', () => {
  it('cachix uses the cache name and the secret name from the team config, never a value', () => {
    const { ci } = workflows(makeInput('full', CONFIGS.cachix));
    const step = ci.jobs.check!.steps.find((s) => s.uses === ACTIONS.cachix)!;
    expect(step.with).toEqual({
      name: 'company',
      authToken: '${{ secrets.COMPANY_CACHIX_TOKEN }}',
    });
    expect(ci.jobs.check!.steps.some((s) => s.uses === ACTIONS.cacheNix)).toBe(false);
  });

  it('no cache step with cache "none"', () => {
    const { ci } = workflows(makeInput('full', { ci: { cache: 'none' } }));
    expect(
      ci.jobs.check!.steps.some((s) => s.uses === ACTIONS.cacheNix || s.uses === ACTIONS.cachix),
    ).toBe(false);
  });
});

describe('names from the flake that reach shell commands', () => {
  it('a dev shell name with shell syntax is refused, not quoted into a command', () => {
    const outputs = recordedOutputs('linux-only');
    outputs.devShells['x86_64-linux'] = ['default', 'x;rm -rf ~'];
    expect(() => workflows(makeInput(outputs))).toThrow(
      /dev shell "x;rm -rf ~" cannot be used in CI/,
    );
  });

  it('a VM check name with shell syntax is refused', () => {
    const outputs = recordedOutputs('full');
    outputs.checks['x86_64-linux'] = ['$(id)'];
    expect(() =>
      workflows(makeInput(outputs, { ci: { vm: { enable: true, checks: ['vm-boot'] } } })),
    ).not.toThrow();
    // only names the team listed are used, and the schema restricts those
    expect(() =>
      validateTeamConfig(JSON.stringify({ ci: { vm: { enable: true, checks: ['$(id)'] } } }), 'f'),
    ).toThrow(/\$\.ci\.vm\.checks\[0\]/);
  });
});
