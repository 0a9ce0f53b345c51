// Reading flake outputs with the real nix: one evaluation returns every name
// CI needs, and it matches the recorded outputs the builder tests use.
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseFlakeOutputs, readFlakeOutputs } from '../../src/ci/outputs.js';
import { NixError } from '../../src/io/nix.js';
import { needsNix, nixEnv, nixVersion } from '../helpers/nix.js';
import { SHAPES, recordedOutputs } from './helpers/input.js';
import { fixtureCopy, removeDir } from './helpers/workspace.js';

describe.skipIf(!nixVersion)(`readFlakeOutputs with real nix${needsNix}`, () => {
  let dir: string | undefined;
  afterEach(async () => {
    await removeDir(dir);
    dir = undefined;
  });

  it.each(SHAPES)('%s: equals the recorded outputs', async (shape) => {
    dir = await fixtureCopy(shape);
    expect(await readFlakeOutputs(dir, { env: nixEnv() })).toEqual(recordedOutputs(shape));
  });

  it('runs exactly one nix process', async () => {
    dir = await fixtureCopy('full');
    const log = join(dir, 'calls.log');
    const wrapper = join(dir, 'nix-wrapper');
    // A wrapper that records each call, then runs the real nix.
    await writeFile(
      wrapper,
      `#!/bin/sh\nprintf '%s|%s|%s|%s|%s|%s\\n' "$1" "$2" "$3" "$4" "$5" "$6" >> '${log}'\nexec nix "$@"\n`,
    );
    await chmod(wrapper, 0o755);
    await readFlakeOutputs(dir, { env: nixEnv(), nixBin: wrapper });
    const calls = (await readFile(log, 'utf8')).trim().split('\n');
    expect(calls).toHaveLength(1);
    expect(calls[0]).toBe(
      '--extra-experimental-features|nix-command flakes|eval|--json|--impure|--expr',
    );
  });

  it('a flake reference is data, never Nix source: a quote or ${ in it cannot inject code', async () => {
    dir = await fixtureCopy('linux-only');
    const hostile = `${dir}/x" + builtins.abort "injected" + "\${builtins.abort "also"}`;
    const error = await readFlakeOutputs(hostile, { env: nixEnv() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NixError);
    // nix saw the whole string as one (invalid) flake URL; nothing was evaluated
    expect((error as NixError).stderr).toContain('is not a valid URL');
    expect((error as NixError).stderr).not.toMatch(/evaluation aborted/);
  });

  it('a broken flake is a NixError carrying what nix said', async () => {
    dir = await fixtureCopy('linux-only');
    await writeFile(join(dir, 'flake.nix'), '{ outputs = { self }: { devShells = 1 +; }; }\n');
    const error = await readFlakeOutputs(dir, { env: nixEnv() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NixError);
    expect((error as NixError).message).toMatch(/syntax error/);
  });
});

describe('parseFlakeOutputs (shape checks on recorded data)', () => {
  it('names the bad part', () => {
    expect(() => parseFlakeOutputs({ devShells: { 'x86_64-linux': 'default' } })).toThrow(
      'devShells.x86_64-linux: expected a list of names',
    );
    expect(() =>
      parseFlakeOutputs({ images: [{ name: 'a', format: '', system: 'x', attr: 'y' }] }),
    ).toThrow('crossflake.images[0].format: expected a non-empty string');
    expect(() => parseFlakeOutputs(null)).toThrow(/expected an object/);
  });

  it('missing outputs are empty', () => {
    expect(parseFlakeOutputs({})).toEqual({
      configurations: [],
      devShells: {},
      checks: {},
      templates: [],
      images: [],
    });
  });
});
