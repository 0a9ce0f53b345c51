import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lockDist } from '../../src/images/dist.js';

let dist: string;
beforeEach(async () => {
  dist = await mkdtemp(join(tmpdir(), 'cf-dist-'));
});
afterEach(() => rm(dist, { recursive: true, force: true }));

describe('dist/ lock', () => {
  it('refuses while another live process holds it, and takes over a dead one', async () => {
    const other = spawn('sleep', ['30']);
    try {
      await writeFile(join(dist, '.crossflake.lock'), `${other.pid}\n`);
      await expect(lockDist(dist)).rejects.toThrow(`in use by crossflake process ${other.pid}`);
    } finally {
      other.kill('SIGKILL');
      await new Promise((r) => other.on('close', r));
    }
    // The holder is gone (as after kill -9): the lock is taken over and released cleanly.
    const unlock = await lockDist(dist);
    expect(await readdir(dist)).toEqual(['.crossflake.lock']);
    await unlock();
    expect(await readdir(dist)).toEqual([]);
  });
});
