import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectFacts } from '../../../src/io/host/index.js';
import { UNKNOWN } from '../../../src/io/host/facts.js';

let dir: string;
function fakeNix(name: string, script: string): string {
  const d = join(dir, name);
  rmSync(d, { recursive: true, force: true });
  mkdirSync(d);
  writeFileSync(join(d, 'nix'), `#!/bin/sh\n${script}\n`);
  chmodSync(join(d, 'nix'), 0o755);
  return d;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'crossflake-probe-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('collectFacts with real processes', () => {
  it('a probe that hangs past its timeout yields "unknown" with the reason, not a crash', async () => {
    const path = fakeNix('hang', 'exec sleep 3');
    const facts = await collectFacts({ env: { PATH: `${path}:/usr/bin:/bin` }, timeoutMs: 300 });
    expect(facts.nix).toBe(UNKNOWN);
    expect(facts.probeErrors.nix).toMatch(/timed out/);
    expect(facts.os.kernel).toBe('linux');
  });

  it('a nix that fails every call is present, with unknown version and config', async () => {
    const path = fakeNix('broken', 'echo "error: broken" >&2; exit 1');
    const facts = await collectFacts({ env: { PATH: `${path}:/usr/bin:/bin` } });
    expect(facts.nix).toMatchObject({ present: true, version: null, config: UNKNOWN });
  });

  it('an old nix without `config show` is read through `show-config`', async () => {
    const path = fakeNix(
      'old',
      [
        'case "$*" in',
        '  --version) echo "nix (Nix) 2.8.0";;',
        '  "show-config --json") echo \'{"experimental-features":{"value":[2,3]},"trusted-users":{"value":["root"]}}\';;',
        '  *) echo "error: \'config\' is not a recognised command" >&2; exit 1;;',
        'esac',
      ].join('\n'),
    );
    const facts = await collectFacts({ env: { PATH: `${path}:/usr/bin:/bin` } });
    expect(facts.nix).toMatchObject({ present: true, version: '2.8.0' });
    expect(
      facts.nix !== UNKNOWN &&
        facts.nix.config !== UNKNOWN &&
        facts.nix.config?.experimentalFeatures,
    ).toEqual(['flakes', 'nix-command']);
  });

  it('nix-command disabled: the probe retries with it and does not report it as enabled', async () => {
    const path = fakeNix(
      'nocmd',
      [
        'case "$*" in',
        '  --version) echo "nix (Nix) 2.18.1";;',
        '  "--extra-experimental-features nix-command show-config --json") echo \'{"experimental-features":{"value":["nix-command"]}}\';;',
        "  *) echo \"error: experimental Nix feature 'nix-command' is disabled; use '--extra-experimental-features nix-command' to override\" >&2; exit 1;;",
        'esac',
      ].join('\n'),
    );
    const facts = await collectFacts({ env: { PATH: `${path}:/usr/bin:/bin` } });
    expect(
      facts.nix !== UNKNOWN &&
        facts.nix.config !== UNKNOWN &&
        facts.nix.config?.experimentalFeatures,
    ).toEqual([]);
  });

  it('sequential and parallel collection find the same facts', async () => {
    const a = await collectFacts({ sequential: true });
    const b = await collectFacts();
    expect({ ...a, collectedAt: '', resources: null }).toEqual({
      ...b,
      collectedAt: '',
      resources: null,
    });
  });
});
