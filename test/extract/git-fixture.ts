// Real git repositories in a temp dir, made from the fixture repos, for the
// apply tests.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.invalid',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.invalid',
  GIT_CONFIG_NOSYSTEM: '1',
  // Keep `nix flake check` out of the tests' way: the probe fails offline anyway.
  NIX_CONFIG: 'experimental-features = nix-command flakes\nsubstituters =',
  // The built CLI caches analyses; keep the tests' caches out of the user's.
  CROSSFLAKE_CACHE_DIR: mkdtempSync(join(tmpdir(), 'crossflake-extract-cache-')),
};

export function gitIn(dir: string, args: string[]): string {
  return execFileSync('git', args, { cwd: dir, env: GIT_ENV, encoding: 'utf8' });
}

export interface Repos {
  root: string;
  personal: string;
  shared: string;
  cleanup(): void;
}

export function makeRepos(personalFixture = 'plain'): Repos {
  const root = mkdtempSync(join(tmpdir(), 'crossflake-extract-test-'));
  const personal = join(root, 'personal');
  const shared = join(root, 'shared');
  cpSync(`test/fixtures/extract/${personalFixture}`, personal, { recursive: true });
  cpSync('test/fixtures/extract/shared', shared, { recursive: true });
  for (const dir of [personal, shared]) {
    gitIn(dir, ['init', '-q', '-b', 'main']);
    gitIn(dir, ['add', '-A']);
    gitIn(dir, ['commit', '-q', '-m', 'initial']);
  }
  return { root, personal, shared, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}
