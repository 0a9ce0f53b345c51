// An `images fetch oci://...` killed half-way through a blob (SIGKILL at a
// chosen byte boundary through the CROSSFLAKE_TEST_KILL_AT hook, not a timer)
// resumes the partial file with a Range request against Debian's real
// docker-registry, and the digest still decides: a tampered partial file is
// refused. Runs the built CLI (npm run build) as a child it can kill.
import { beforeEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { cli } from '../helpers.js';
import { nixEnv } from '../../helpers/nix.js';
import { PASSWORD, USER, registryMissing, startRegistry, type Served } from './servers.js';
import { storeFiles, useServer } from './fixture.js';

const missing = registryMissing();
const { big, files: FILES } = storeFiles(5);
const state = useServer(missing, startRegistry, FILES);
const BIN = resolve('bin/crossflake.js');
const KILL_AT = 1024 * 1024;
let dir: string;
let server: Served;
let source: string;
beforeEach(async () => {
  if (missing) return;
  dir = state.dir;
  server = state.server!;
  source = `oci://127.0.0.1:${server.port}/team${state.n}/images:v2026.11`;
  const to = source.replace(/:v2026\.11$/, '');
  const res = await cli(['images', 'release', '--tag', 'v2026.11', '--to', to], dir, env());
  expect(res.code, res.stderr).toBe(0);
});

const env = (extra: NodeJS.ProcessEnv = {}) => ({
  DOCKER_CONFIG: join(dir, 'docker'),
  CROSSFLAKE_OCI_USER: USER,
  CROSSFLAKE_OCI_PASSWORD: PASSWORD,
  ...extra,
});
const fetchArgs = () => ['images', 'fetch', source, '--image', 'demo-qcow2', '--to', 'out'];
const partial = () => join(dir, 'out', `.${FILES[1]!.file}.crossflake-partial`);

/** The fetch as a child process, SIGKILLed by the hook once KILL_AT bytes are on disk. */
async function killedFetch(): Promise<NodeJS.Signals | null> {
  const child = spawn(process.execPath, [BIN, ...fetchArgs()], {
    cwd: dir,
    env: nixEnv(env({ CROSSFLAKE_TEST_KILL_AT: `download-bytes:${KILL_AT}` })),
    stdio: 'ignore',
  });
  const [, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  return signal;
}

describe.skipIf(missing)(
  `images fetch from an OCI registry resumes a killed download (docker-registry)${missing ? ` (skipped: ${missing})` : ''}`,
  () => {
    it('killed mid-blob, the next fetch asks for the rest only and verifies the whole digest', async () => {
      expect(await killedFetch()).toBe('SIGKILL');
      const held = (await stat(partial())).size;
      expect(held).toBeGreaterThanOrEqual(KILL_AT);
      expect(held).toBeLessThan(big.length);
      expect(await readdir(join(dir, 'out'))).not.toContain(FILES[1]!.file);

      const res = await cli([...fetchArgs(), '--json'], dir, env());
      expect(res.code, res.stderr).toBe(0);
      const out = JSON.parse(res.stdout) as { resumedFrom: number; verified: boolean };
      expect(out).toMatchObject({ resumedFrom: held, verified: true });
      expect((await readFile(join(dir, 'out', FILES[1]!.file))).equals(big)).toBe(true);
      expect(await readdir(join(dir, 'out'))).toEqual([FILES[1]!.file]);
    });

    it('a partial file altered before the resume is refused by the digest, and removed', async () => {
      expect(await killedFetch()).toBe('SIGKILL');
      const bytes = await readFile(partial());
      bytes[10] = bytes[10]! ^ 0xff;
      await writeFile(partial(), bytes);
      const res = await cli(fetchArgs(), dir, env());
      expect(res.code).toBe(1);
      expect(res.stderr).toContain(`refusing ${FILES[1]!.file}: SHA-256 mismatch`);
      expect(await readdir(join(dir, 'out'))).toEqual([]);
    });
  },
);
