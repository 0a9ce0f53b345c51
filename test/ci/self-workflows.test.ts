// crossflake's own workflows (.github/workflows/flake-check.yml and
// npm-test.yml, written by hand) pass GitHub's workflow parser and actionlint
// exactly like the generated ones, run on the runners the support matrix
// names, share the generator's action pins and steps, and are not files that
// `crossflake ci check` owns (so `crossflake check` on this repository does
// not compare them with generated ones).
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import platforms from '../../data/platforms.json' with { type: 'json' };
import { ciCheck } from '../../src/check/steps/ci.js';
import type { Io } from '../../src/command.js';
import { ACTIONS } from '../../src/ci/actions.js';
import { providerPaths } from '../../src/ci/generate.js';
import { runnerForSystem } from '../../src/ci/matrix.js';
import { cache, checkout, installNix } from '../../src/ci/steps.js';
import { withDefaults } from '../../src/teamconfig/types.js';
import { actionlintFindings, workflowParserErrors } from './helpers/validators.js';

const FILES = ['.github/workflows/flake-check.yml', '.github/workflows/npm-test.yml'];

interface Workflow {
  jobs: Record<
    string,
    {
      'runs-on': string;
      strategy: { matrix: Record<string, unknown> & { include?: Record<string, string>[] } };
      steps: { name: string; uses?: string; run?: string; with?: Record<string, unknown> }[];
    }
  >;
}

const read = (file: string) => readFileSync(file, 'utf8');
const load = (file: string) => parse(read(file)) as Workflow;

describe("crossflake's own GitHub workflows", () => {
  it.each(FILES)(
    '%s passes GitHub workflow parser and actionlint with no finding',
    async (file) => {
      expect(await workflowParserErrors(file, read(file))).toEqual([]);
      expect(await actionlintFindings(file, read(file))).toEqual([]);
    },
  );

  it('pins every action to a release tag', () => {
    for (const file of FILES) {
      for (const job of Object.values(load(file).jobs)) {
        for (const step of job.steps.filter((s) => s.uses)) {
          expect(step.uses, `${file}: ${step.name}`).toMatch(/^[\w.-]+\/[\w.-]+@v\d+(\.\d+){0,2}$/);
        }
      }
    }
  });

  it("runs nix flake check on each system's hosted runner from data/platforms.json", () => {
    const job = load(FILES[0]!).jobs['flake-check']!;
    const systems = [...new Set(platforms.rows.map((r) => r.nixSystem))];
    const want = systems.map((system) => ({
      system,
      runner: runnerForSystem(platforms.rows, system)!.runner!.label,
    }));
    expect(job.strategy.matrix.include!.map((e) => e.system).sort()).toEqual(systems.sort());
    expect(job.strategy.matrix.include).toEqual(expect.arrayContaining(want));
    expect(job.strategy.matrix.include!.map((e) => e.runner).sort()).toEqual([
      'macos-15',
      'macos-15-intel',
      'ubuntu-24.04',
      'ubuntu-24.04-arm',
    ]);
    expect(job['runs-on']).toBe('${{ matrix.runner }}');
  });

  it('installs and caches Nix with the same steps and pins as the generated ci.yml', () => {
    const steps = load(FILES[0]!).jobs['flake-check']!.steps;
    expect(steps.slice(0, 3)).toEqual([checkout(), installNix(), ...cache(withDefaults({}))]);
    expect(steps.at(-1)!.run).toBe('nix flake check --print-build-logs');
  });

  it('runs npm ci && npm test on Linux, macOS and Windows with every maintained Node.js line the engines admit', () => {
    const job = load(FILES[1]!).jobs['test']!;
    expect(job.strategy.matrix['os']).toEqual(['ubuntu-24.04', 'macos-15', 'windows-latest']);
    const engines = (JSON.parse(read('package.json')) as { engines: { node: string } }).engines
      .node;
    const lowest = Number(/^>=\s*(\d+)/.exec(engines)?.[1]);
    // Node.js 22 and 24 are the maintained lines; an older one stays while
    // the engines still promise it.
    const want = [20, 22, 24].filter((major) => major >= 22 || major >= lowest).map(String);
    expect(lowest).toBeGreaterThan(0);
    expect(job.strategy.matrix['node']).toEqual(want);
    const uses = job.steps.map((s) => s.uses).filter(Boolean);
    expect(uses).toEqual([
      ACTIONS.checkout,
      expect.stringMatching(/^actions\/setup-node@v\d+\.\d+\.\d+$/),
    ]);
    expect(
      job.steps
        .map((s) => s.run)
        .filter(Boolean)
        .slice(-2),
    ).toEqual(['npm ci --no-audit --no-fund', 'npm test']);
  });

  it('are not files crossflake ci owns, so crossflake check does not compare them with generated ones', async () => {
    for (const file of FILES) expect(providerPaths('github')).not.toContain(file);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'crossflake-self-ci-'));
    try {
      mkdirSync(path.join(dir, '.github', 'workflows'), { recursive: true });
      for (const file of FILES) writeFileSync(path.join(dir, file), read(file));
      const { stdout, stderr, stdin } = process;
      const io: Io = { stdout, stderr, stdin, env: {}, cwd: dir };
      expect(await ciCheck.skipReason({ dir, io })).toEqual({
        status: 'not applicable',
        detail: 'no workflows to compare',
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
