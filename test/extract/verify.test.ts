// The pure decisions of extract apply's behaviour proof (src/extract/verify.ts):
// which configurations changed and where two derivations first differ. The
// derivations are written in the shape `nix show-derivation` prints (Nix 2.8:
// keyed by full path, inputDrvs a list of outputs; later Nix: keyed by base
// name, inputDrvs an object with `outputs`).
import { describe, expect, it } from 'vitest';
import type { ShownDerivation } from '../../src/io/nix-drv.js';
import {
  changedConfigurations,
  describeDifference,
  describeRefusal,
  firstDifference,
  flattenDrvPaths,
  storeName,
} from '../../src/extract/verify.js';

const S = '/nix/store/';
const h = (c: string) => c.repeat(32);

function drv(over: Partial<ShownDerivation> = {}): ShownDerivation {
  return {
    outputs: { out: { path: `${S}${h('o')}-x` } },
    inputSrcs: [],
    inputDrvs: {},
    system: 'x86_64-linux',
    builder: '/bin/sh',
    args: ['-c', 'true'],
    env: { name: 'x', out: `${S}${h('o')}-x` },
    ...over,
  };
}

describe('which configurations a step changed', () => {
  it('names configurations as a user writes them, and reports added and removed ones', () => {
    const before = flattenDrvPaths({
      nixosConfigurations: { laptop: `${S}${h('a')}-toplevel.drv` },
      homeConfigurations: { 'dana@laptop': `${S}${h('b')}-hm.drv` },
      darwinConfigurations: {},
    });
    const after = flattenDrvPaths({
      nixosConfigurations: { laptop: `${S}${h('a')}-toplevel.drv`, server: `${S}${h('c')}-t.drv` },
      homeConfigurations: { 'dana@laptop': `${S}${h('d')}-hm.drv` },
    });
    const changed = changedConfigurations(before, after);
    expect(changed.map((c) => c.name)).toEqual([
      'homeConfigurations."dana@laptop"',
      'nixosConfigurations.server',
    ]);
    expect(describeRefusal({ verified: false, changed, first: null })).toBe(
      'the step changes what these configurations build: homeConfigurations."dana@laptop", nixosConfigurations.server (added)',
    );
  });

  it('no change, no difference', () => {
    const same = flattenDrvPaths({ nixosConfigurations: { a: `${S}${h('a')}-t.drv` } });
    expect(changedConfigurations(same, new Map(same))).toEqual([]);
  });
});

describe('the first difference between two derivations', () => {
  it('follows a changed input derivation down to its own first difference (Nix 2.8 shape)', () => {
    const leafB = `${S}${h('1')}-motd.drv`;
    const leafA = `${S}${h('2')}-motd.drv`;
    const same = `${S}${h('3')}-packages.drv`;
    const topB = `${S}${h('4')}-toplevel.drv`;
    const topA = `${S}${h('5')}-toplevel.drv`;
    const before = {
      [leafB]: drv({ env: { name: 'motd', text: 'hi' } }),
      [same]: drv(),
      [topB]: drv({ inputDrvs: { [leafB]: ['out'], [same]: ['out'] }, env: { motd: leafB } }),
    };
    const after = {
      [leafA]: drv({ env: { name: 'motd', text: 'hello' } }),
      [same]: drv(),
      [topA]: drv({ inputDrvs: { [leafA]: ['out'], [same]: ['out'] }, env: { motd: leafA } }),
    };
    const found = firstDifference(topB, topA, before, after)!;
    expect(found).toEqual({
      chain: ['toplevel', 'motd'],
      difference: { kind: 'env', key: 'text', before: 'hi', after: 'hello' },
    });
    expect(describeDifference(found)).toBe('toplevel > motd: env.text "hi" -> "hello"');
  });

  it('later Nix keys derivations by base name and lists input outputs in an object', () => {
    const b = `${h('1')}-toplevel.drv`;
    const a = `${h('2')}-toplevel.drv`;
    const src = (c: string) => `${S}${h(c)}-motd.txt`;
    const found = firstDifference(
      `${S}${b}`,
      `${S}${a}`,
      { [b]: drv({ inputSrcs: [src('7')], inputDrvs: {} }) },
      { [a]: drv({ inputSrcs: [src('8')], inputDrvs: {} }) },
    )!;
    expect(found.difference).toEqual({
      kind: 'input-src',
      name: 'motd.txt',
      before: src('7'),
      after: src('8'),
    });
  });

  it('an input only one side has is named as added or removed', () => {
    const extra = `${S}${h('9')}-theme.drv`;
    const found = firstDifference(
      `${S}${h('1')}-t.drv`,
      `${S}${h('2')}-t.drv`,
      { [`${S}${h('1')}-t.drv`]: drv() },
      { [`${S}${h('2')}-t.drv`]: drv({ inputDrvs: { [extra]: { outputs: ['out'] } } }) },
    )!;
    expect(describeDifference(found)).toBe(
      `t: input derivation theme.drv was added ((none) -> "${extra}")`,
    );
  });

  it("an output's own path is an effect, not a cause: the argument that differs is reported", () => {
    const found = firstDifference(
      `${S}${h('1')}-t.drv`,
      `${S}${h('2')}-t.drv`,
      { [`${S}${h('1')}-t.drv`]: drv({ args: ['-c', 'echo a'], env: { out: `${S}${h('x')}-t` } }) },
      { [`${S}${h('2')}-t.drv`]: drv({ args: ['-c', 'echo b'], env: { out: `${S}${h('y')}-t` } }) },
    )!;
    expect(found.difference).toEqual({ kind: 'args', index: 1, before: 'echo a', after: 'echo b' });
  });

  it('a value that looks like a secret, or is named like one, is masked', () => {
    const token = `ghp_${'aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5'}`;
    for (const [key, before, after] of [
      ['GITHUB_TOKEN', 'old', 'new'],
      ['text', 'plain', token],
      ['password', 'hunter2', 'hunter3'],
    ] as const) {
      const t = (c: string, env: Record<string, string>) => ({
        [`${S}${h(c)}-t.drv`]: drv({ env }),
      });
      const found = firstDifference(
        `${S}${h('1')}-t.drv`,
        `${S}${h('2')}-t.drv`,
        t('1', { [key]: before }),
        t('2', { [key]: after }),
      )!;
      const line = describeDifference(found);
      expect(line, key).toMatch(/<secret, \d+ chars, masked>/);
      expect(line).not.toContain(token);
      expect(line).not.toContain('hunter');
    }
  });

  it('store names drop the hash, and only a hash', () => {
    expect(storeName(`${S}${h('a')}-hello-2.12.drv`)).toBe('hello-2.12.drv');
    expect(storeName('/tmp/plain-name')).toBe('plain-name');
  });
});
