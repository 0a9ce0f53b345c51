// A temporary directory for one test file, removed after it, handing out a
// fresh empty sub-directory per case.
import { afterAll } from 'vitest';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function scratchDirs(
  prefix: string,
): Promise<{ work: string; fresh: () => Promise<string> }> {
  const work = await mkdtemp(join(tmpdir(), prefix));
  afterAll(() => rm(work, { recursive: true, force: true }));
  let n = 0;
  const fresh = async () => {
    const dir = join(work, `case-${n++}`);
    await mkdir(dir);
    return dir;
  };
  return { work, fresh };
}
