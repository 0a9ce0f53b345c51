import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { liveContext } from '../../src/onboard/live.js';
import { planUnix } from '../../src/onboard/plan-unix.js';
import { runPlan } from '../../src/onboard/runner.js';
import { readState } from '../../src/onboard/state.js';
import type { Plan } from '../../src/onboard/step.js';
import { colors } from '../../src/ui/color.js';
import { recordedFacts } from '../helpers/facts.js';
import { captureIo } from '../helpers/capture-io.js';

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'crossflake-onboard-live-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

describe('the runner with the live context (real programs, temp HOME)', () => {
  it('enables flakes once: the second run finds it done and appends nothing', async () => {
    const facts = recordedFacts('broken-no-flakes');
    const full = planUnix(
      { ...facts, user: { ...facts.user, home } },
      {
        flow: 'linux',
        homeOnly: true,
        dir: join(home, 'cfg'),
        user: 'ada',
        host: 'box',
        from: null,
        installerPath: join(home, 'nix-install.sh'),
      },
    );
    const plan: Plan = {
      ...full,
      steps: full.steps.filter((s) => ['nix-conf-dir', 'enable-flakes'].includes(s.id)),
    };
    const io = captureIo(home, { PATH: process.env.PATH });
    const state = join(home, 'state.json');
    const first = await runPlan(plan, state, liveContext(io, colors(false)));
    expect(first).toMatchObject({ ok: true, ran: ['nix-conf-dir', 'enable-flakes'] });
    const conf = join(home, '.config', 'nix', 'nix.conf');
    expect(readFileSync(conf, 'utf8')).toBe('experimental-features = nix-command flakes\n');

    rmSync(state);
    const second = await runPlan(plan, state, liveContext(io, colors(false)));
    expect(second).toMatchObject({ ok: true, ran: [], skipped: ['nix-conf-dir', 'enable-flakes'] });
    expect(readFileSync(conf, 'utf8')).toBe('experimental-features = nix-command flakes\n');
    expect(io.err()).toContain('skipped, already done');
  });

  it('skips what the facts already show (Nix installed, flakes on) without running anything', async () => {
    const facts = recordedFacts('linux-x86_64');
    const full = planUnix(
      { ...facts, user: { ...facts.user, home } },
      {
        flow: 'linux',
        homeOnly: false,
        dir: join(home, 'cfg'),
        user: 'ada',
        host: 'box',
        from: null,
        installerPath: join(home, 'nix-install.sh'),
      },
    );
    const ids = ['download-nix-installer', 'install-nix', 'nix-conf-dir', 'enable-flakes'];
    const plan: Plan = { ...full, steps: full.steps.filter((s) => ids.includes(s.id)) };
    const io = captureIo(home, { PATH: process.env.PATH });
    const result = await runPlan(plan, join(home, 'state.json'), liveContext(io, colors(false)));
    expect(result).toMatchObject({ ok: true, ran: [], skipped: ids });
    expect(readdirSync(home)).toEqual(['state.json']);
  });

  it('runs the planned `crossflake init` for real: the template lands with the given names', async () => {
    const facts = recordedFacts('linux-aarch64');
    const full = planUnix(
      { ...facts, user: { ...facts.user, home } },
      {
        flow: 'linux',
        homeOnly: false,
        dir: join(home, 'cfg'),
        user: 'ada',
        host: 'box',
        from: 'github:acme/team-config',
        installerPath: join(home, 'nix-install.sh'),
      },
    );
    const plan: Plan = { ...full, steps: full.steps.filter((s) => s.id === 'init-config') };
    const io = captureIo(home, {
      PATH: process.env.PATH,
      HOME: home,
      GIT_AUTHOR_NAME: 'Ada',
      GIT_AUTHOR_EMAIL: 'ada@example.org',
      GIT_COMMITTER_NAME: 'Ada',
      GIT_COMMITTER_EMAIL: 'ada@example.org',
    });
    const self = join(process.cwd(), 'bin', 'crossflake.js');
    const result = await runPlan(
      plan,
      join(home, 'state.json'),
      liveContext(io, colors(false), self),
    );
    expect(result.failed).toBeNull();
    const flake = readFileSync(join(home, 'cfg', 'flake.nix'), 'utf8');
    expect(flake).toContain('"ada"');
    expect(flake).toContain('aarch64-linux');
    expect(flake).toContain('github:acme/team-config');
    const again = await runPlan(
      plan,
      join(home, 'state2.json'),
      liveContext(io, colors(false), self),
    );
    expect(again.skipped).toEqual(['init-config']);
  });

  it('writes a step’s stdout to its file, and stops at a failing program with its output', async () => {
    const out = join(home, 'hosts', 'box', 'hardware-configuration.nix');
    const plan: Plan = {
      flow: 'linux',
      row: null,
      summary: 'test',
      problems: [],
      afterwards: [],
      steps: [
        {
          id: 'print',
          what: 'print',
          why: 'test',
          command: ['printf', '{ }\n'],
          stdoutTo: out,
          doneWhen: { kind: 'state' },
        },
        {
          id: 'fail',
          what: 'fail',
          why: 'test',
          command: ['ls', join(home, 'missing')],
          doneWhen: { kind: 'state' },
        },
        { id: 'never', what: 'never', why: 'test', command: ['true'], doneWhen: { kind: 'state' } },
      ],
    };
    const io = captureIo(home, { PATH: process.env.PATH, LC_ALL: 'C' });
    const result = await runPlan(plan, join(home, 'state.json'), liveContext(io, colors(false)));
    expect(readFileSync(out, 'utf8')).toBe('{ }\n');
    expect(result.failed?.step).toBe('fail');
    expect(result.failed?.message).toMatch(/exit 2[\s\S]*No such file/);
    expect(Object.keys((await readState(join(home, 'state.json')))?.steps ?? {})).toEqual([
      'print',
    ]);
    expect(result.ran).toEqual(['print']);
  });
});
