// scripts/fuse-plan.mjs on small made-up metafiles: what goes into the fused
// init handler, what stays a file of its own, and that a module loaded twice
// is caught (a duplicated class would break `instanceof`).
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script without types
import { planFusion, twiceLoaded } from '../../scripts/fuse-plan.mjs';

interface Output {
  bytes: number;
  inputs: Record<string, object>;
  imports: { path: string; kind: string; external?: boolean }[];
}

/** An output: its sources, static imports and dynamic imports. */
function out(sources: string[], statics: string[] = [], lazy: string[] = [], bytes = 100): Output {
  return {
    bytes,
    inputs: Object.fromEntries(sources.map((s) => [s, {}])),
    imports: [
      ...statics.map((path) => ({ path, kind: 'import-statement' })),
      ...lazy.map((path) => ({ path, kind: 'dynamic-import' })),
      { path: 'node:fs', kind: 'import-statement', external: true },
    ],
  };
}

interface Plan {
  before: Set<string>;
  inline: Set<string>;
  kept: Set<string>;
  later: Set<string>;
}
const sorted = (s: Set<string>) => [...s].sort();

describe('planFusion', () => {
  // cli.js and the spec are loaded first; the handler imports a shared
  // kernel chunk (already loaded), its own chunks, and a few lazy parts.
  const base = {
    'cli.js': out(['src/cli.ts'], ['kernel.js'], ['spec.js', 'handler.js']),
    'kernel.js': out(['src/command.ts']),
    'spec.js': out(['src/init/spec.ts'], ['kernel.js']),
    'handler.js': out(
      ['src/init/command.ts'],
      ['kernel.js', 'load.js', 'write.js'],
      ['selftest.js', 'git.js', 'team.js'],
    ),
    'load.js': out(['src/templates/load.ts'], ['kernel.js', 'rows.js']),
    'write.js': out(['src/templates/write.ts']),
    'rows.js': out(['data/platforms.json']),
    // Shares load.js with the handler: fused, lazily.
    'selftest.js': out(['src/templates/selftest.ts'], ['load.js', 'proc.js']),
    'proc.js': out(['src/io/proc.ts']),
    // Shares nothing: stays a file.
    'git.js': out(['src/io/git.ts'], ['proc2.js']),
    'proc2.js': out(['src/io/spawn.ts']),
    // A large lazy part that shares rows.js: rows.js stays a file of its own.
    'team.js': out(['src/teamconfig/validate.ts'], ['ajv.js', 'rows.js']),
    'ajv.js': out(['node_modules/ajv/index.js'], [], [], 500_000),
  };
  const plan = planFusion(base, {
    handler: 'handler.js',
    loaded: ['cli.js', 'spec.js'],
    lazyBytes: 64 * 1024,
  }) as Plan;

  it('fuses the handler, its own chunks and the small lazy parts that share them', () => {
    expect(sorted(plan.inline)).toEqual([
      'handler.js',
      'load.js',
      'proc.js',
      'selftest.js',
      'write.js',
    ]);
  });

  it('never fuses what cli.js and the spec already loaded', () => {
    expect(plan.inline.has('kernel.js')).toBe(false);
    expect(sorted(plan.before)).toEqual(['cli.js', 'kernel.js', 'spec.js']);
  });

  it('keeps a chunk shared with a large lazy part as its own file', () => {
    expect(sorted(plan.kept)).toEqual(['rows.js']);
    expect(plan.later.has('ajv.js')).toBe(true);
  });

  it('leaves a lazy part that shares nothing as it is', () => {
    expect(plan.later.has('git.js')).toBe(true);
    expect(plan.inline.has('git.js')).toBe(false);
  });

  it('finds no module loaded twice in that plan', () => {
    expect(twiceLoaded(base, plan, 'init.js')).toEqual([]);
  });

  it('catches a module that two files of the run hold', () => {
    // A made-up plan that fuses rows.js although team.js loads it too.
    const bad = { ...plan, inline: new Set([...plan.inline, 'rows.js']) };
    expect(twiceLoaded(base, bad, 'init.js')).toEqual([
      'data/platforms.json would be loaded twice by init (rows.js and init.js (fused))',
    ]);
  });

  it('with no room for lazy parts, what they share stays files of their own', () => {
    const tight = planFusion(base, {
      handler: 'handler.js',
      loaded: ['cli.js', 'spec.js'],
      lazyBytes: 0,
    }) as Plan;
    expect(sorted(tight.inline)).toEqual(['handler.js', 'write.js']);
    expect(sorted(tight.kept)).toEqual(['load.js', 'rows.js']);
    expect(twiceLoaded(base, tight, 'init.js')).toEqual([]);
  });
});
