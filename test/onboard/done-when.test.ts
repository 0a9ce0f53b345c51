// Issue 14: a step's "done when" test checks the step's real end state, not a
// proxy for it. Run against real git on real directories through the real
// runner: a re-run skips a step as "already done" only when it is.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exists } from '../../src/io/files.js';
import { run } from '../../src/io/proc.js';
import { planUnix } from '../../src/onboard/plan-unix.js';
import { CONFIG_DIR, planWsl, type WslPlanOptions } from '../../src/onboard/plan-wsl.js';
import { runPlan, type RunContext } from '../../src/onboard/runner.js';
import type { DoneCheck } from '../../src/onboard/step.js';
import { recordedFacts } from '../helpers/facts.js';
import { scratchDirs } from '../helpers/scratch.js';

const { fresh } = await scratchDirs('cf-done-when-');
const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'T',
  GIT_AUTHOR_EMAIL: 't@example.invalid',
  GIT_COMMITTER_NAME: 'T',
  GIT_COMMITTER_EMAIL: 't@example.invalid',
  GIT_CONFIG_NOSYSTEM: '1',
};
const git = (dir: string, ...args: string[]) =>
  execFileSync('git', args, { cwd: dir, env: GIT_ENV, stdio: 'pipe' });

/** The runner's context with real programs and files (all a done check uses). */
const real: RunContext = {
  exec: (command, options) =>
    run(command[0]!, command.slice(1), { cwd: options.cwd, env: GIT_ENV }),
  internal: () => Promise.reject(new Error('not used')),
  fileExists: exists,
  writeFile: () => Promise.reject(new Error('not used')),
  now: () => new Date(0),
  report: () => undefined,
};

/**
 * A re-run of a one-step plan with this done check: true when the runner
 * skips the step as already done. The step itself (`false`) would fail.
 */
async function isDone(doneWhen: DoneCheck): Promise<boolean> {
  const stateDir = await fresh();
  const plan = {
    flow: 'linux' as const,
    row: null,
    summary: 'done-when test',
    problems: [],
    steps: [{ id: 'the-step', what: 'a step', why: 'a test', command: ['false'], doneWhen }],
    afterwards: [],
  };
  const result = await runPlan(plan, join(stateDir, 'state.json'), real);
  return result.skipped.includes('the-step');
}

function initConfigCheck(dir: string): DoneCheck {
  const facts = recordedFacts('linux-x86_64');
  const plan = planUnix(facts, {
    flow: 'linux',
    homeOnly: false,
    dir,
    user: 'ada',
    host: 'box',
    from: null,
    installerPath: join(dir, 'install.sh'),
  });
  return plan.steps.find((s) => s.id === 'init-config')!.doneWhen;
}

describe('onboard "done when" checks the real end state', () => {
  it('init-config: flake.nix written but the first commit never made is not done (real git)', async () => {
    const parent = await fresh();
    const dir = join(parent, 'nix-config');
    mkdirSync(dir);
    writeFileSync(join(dir, 'flake.nix'), '{ }\n');
    expect(await isDone(initConfigCheck(dir))).toBe(false);
    // Inside someone's repository whose root has a committed flake.nix: still not done.
    git(parent, 'init', '-q');
    writeFileSync(join(parent, 'flake.nix'), '{ }\n');
    git(parent, 'add', 'flake.nix');
    git(parent, 'commit', '-q', '-m', 'parent');
    expect(await isDone(initConfigCheck(dir))).toBe(false);
    git(dir, 'init', '-q');
    expect(await isDone(initConfigCheck(dir))).toBe(false);
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'Initial configuration');
    expect(await isDone(initConfigCheck(dir))).toBe(true);
  });

  it('clone-config (WSL): a clone killed before its checkout is not done; its git command run on real git here', async () => {
    const options: WslPlanOptions = {
      source: 'https://example.org/releases/v1/',
      imageFile: 'image.wsl',
      sha256: null,
      listed: true,
      imageDir: 'C:\\images',
      name: 'NixOS',
      location: 'C:\\wsl\\NixOS',
      backupDir: 'C:\\backups',
      backupStamp: '20261207-120000',
      replace: true,
      insecure: false,
      config: 'https://example.org/ada-config',
      user: 'ada',
      host: 'box',
      importedByUs: false,
    };
    const facts = recordedFacts('windows-native');
    const plan = planWsl(facts, options);
    const check = plan.steps.find((s) => s.id === 'clone-config')!.doneWhen;
    if (check.kind !== 'command-succeeds') throw new Error(`unexpected ${check.kind}`);
    // Inside the distro the check runs git through `nix shell`; here the git part runs as is.
    const gitPart = check.command.slice(check.command.indexOf('--command') + 1);
    expect(gitPart.slice(0, 3)).toEqual(['git', '-C', CONFIG_DIR]);
    const origin = await fresh();
    writeFileSync(join(origin, 'flake.nix'), '{ }\n');
    git(origin, 'init', '-q');
    git(origin, 'add', '-A');
    git(origin, 'commit', '-q', '-m', 'config');
    const clone = join(await fresh(), 'crossflake');
    // What a kill between fetch and checkout leaves: .git with HEAD, no files, no index.
    git(origin, 'clone', '-q', '--no-checkout', origin, clone);
    const local: DoneCheck = {
      kind: 'command-succeeds',
      command: ['git', '-C', clone, ...gitPart.slice(3)],
    };
    expect(await isDone(local)).toBe(false);
    git(clone, 'checkout', '-q', 'HEAD', '--', '.');
    expect(await isDone(local)).toBe(true);
  });

  it('backup (WSL --replace): a partial export file is not a finished backup; only the state file says so', () => {
    const facts = recordedFacts('windows-native');
    const plan = planWsl(facts, {
      source: 'https://example.org/releases/v1/',
      imageFile: 'image.wsl',
      sha256: null,
      listed: true,
      imageDir: 'C:\\images',
      name: 'Ubuntu-24.04',
      location: 'C:\\wsl\\Ubuntu',
      backupDir: 'C:\\backups',
      backupStamp: '20261207-120000',
      replace: true,
      insecure: false,
      config: null,
      user: 'ada',
      host: 'box',
      importedByUs: false,
    });
    const backup = plan.steps.find((s) => s.id === 'backup');
    expect(backup, 'the recorded host has a distro to replace').toBeDefined();
    expect(backup!.doneWhen).toEqual({ kind: 'state' });
  });
});
