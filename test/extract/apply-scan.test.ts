// extract apply's last gate: the secret detector on the exact bytes about to
// be committed in both repositories (src/extract/apply-scan.ts).
import { afterEach, describe, expect, it } from 'vitest';
import { refuseSecretsInCommit, secretsInCommit } from '../../src/extract/apply-scan.js';
import { runAsync } from '../helpers/run-async.js';
import { gitIn, GIT_ENV, makeRepos, type Repos } from './git-fixture.js';

// Built at run time: no live-looking token is written in this file.
const token = ['gh', 'p_', 'Q7x2'.repeat(9)].join('');
const files = (entries: [string, string][]): Map<string, string> => new Map(entries);

describe('secretsInCommit (pure)', () => {
  it('any secret on the shared side refuses, even one the shared repo already had', () => {
    const before = { personal: files([]), shared: files([['flake.nix', `# ${token}\n`]]) };
    const next = { personal: files([]), shared: files([['flake.nix', `# ${token}\n{ }\n`]]) };
    const hits = secretsInCommit(next, before);
    expect(hits.map((h) => [h.repo, h.path, h.finding.line, h.finding.rule])).toEqual([
      ['shared', 'flake.nix', 1, 'github'],
    ]);
  });

  it('on the personal side only a secret the step adds refuses (its owner’s own stay)', () => {
    const hash = ['$', '6$', 'saltsalt', '$', 'Zm9v'.repeat(20)].join('');
    const old = `{ users.users.a.hashedPassword = "${hash}"; imports = [ ./tools.nix ]; }\n`;
    const rewritten = `{ users.users.a.hashedPassword = "${hash}"; imports = [ ]; }\n`;
    const before = { personal: files([['home/a.nix', old]]), shared: files([]) };
    expect(
      secretsInCommit({ personal: files([['home/a.nix', rewritten]]), shared: files([]) }, before),
    ).toEqual([]);
    const added = `${rewritten}# ${token}\n`;
    expect(() =>
      refuseSecretsInCommit(
        { personal: files([['home/a.nix', added]]), shared: files([]) },
        before,
      ),
    ).toThrow(/refused: the step would commit a secret \(personal home\/a\.nix:2:3 <GitHub token/);
  });

  it('the refusal names places and kinds, never the secret', () => {
    const next = { personal: files([]), shared: files([['m.nix', `"${token}"`]]) };
    let message = '';
    try {
      refuseSecretsInCommit(next, { personal: files([]), shared: files([]) });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('shared m.nix:1:2 <GitHub token, 40 chars, masked>');
    expect(message).not.toContain(token);
  });
});

let repos: Repos | null = null;
afterEach(() => {
  repos?.cleanup();
  repos = null;
});

// Drives the built CLI: run `npm run build` first when running this file alone.
describe('extract apply refuses to commit a secret no label saw', () => {
  it('a token in --shared-url would land in the personal flake.nix: refused, neither repo changed', async () => {
    repos = makeRepos();
    const { personal, shared } = repos;
    const planned = await runAsync(
      process.execPath,
      ['bin/crossflake.js', 'extract', 'plan', personal, '--json'],
      { env: GIT_ENV },
    );
    const { steps } = (
      JSON.parse(planned.stdout) as { plan: { steps: { n: number; file: string }[] } }
    ).plan;
    const step = steps.find((s) => s.file === 'home/tools.nix');
    expect(step).toBeDefined();
    const url = `git+https://ci:${token}@github.com/team/shared`;
    const res = await runAsync(
      process.execPath,
      [
        'bin/crossflake.js',
        'extract',
        'apply',
        personal,
        '--step',
        String(step?.n),
        '--shared',
        shared,
        '--shared-url',
        url,
      ],
      { env: GIT_ENV },
    );
    expect(res.status, res.stderr).toBe(1);
    expect(res.stderr).toMatch(
      /^crossflake.*refused: the step would commit .*personal flake\.nix:\d+:\d+ </m,
    );
    expect(res.stderr + res.stdout).not.toContain(token);
    for (const dir of [personal, shared]) {
      expect(gitIn(dir, ['branch', '--list']).trim()).toBe('* main');
      expect(gitIn(dir, ['worktree', 'list']).trim().split('\n')).toHaveLength(1);
    }
  });
});
