// Temp copies of the fixture flakes, and an in-process CLI runner with
// captured output, for tests that use real nix and real files.
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { run } from '../../../src/cli.js';
import { nixEnv } from '../../helpers/nix.js';

/**
 * A temp copy of a fixture flake, with the stand-in crossflake flake at
 * ./crossflake (the `crossflake` input the fixtures' flake.lock pins).
 */
export async function fixtureCopy(shape: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `crossflake-ci-${shape}-`));
  await cp(join('test/fixtures/ci', shape), dir, { recursive: true });
  await cp('test/fixtures/ci/shared-cli', join(dir, 'crossflake'), { recursive: true });
  return dir;
}

export async function removeDir(dir: string | undefined): Promise<void> {
  if (dir) await rm(dir, { recursive: true, force: true });
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function crossflake(
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = nixEnv(),
): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await run(args, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    stdin: Readable.from([]),
    env,
    cwd,
  });
  return { code, stdout, stderr };
}
