// check.ts finds what Nix rejects after parsing by walking the syntax tree
// directly. Its reference is the slower way it replaced, which the printer
// still uses: lowering the whole tree to Nix's AST (lower.ts) and binding its
// variables (scope.ts). Both must report the same problems at the same places
// on every input: real files, hand-written edge cases, generated programs and
// damaged ones. (The printed ASTs themselves are compared with the real
// nix-instantiate in differential.test.ts.)
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseNix } from '../../src/nixlang/index.js';
import { Lowerer } from '../../src/nixlang/lower.js';
import { checkScopes } from '../../src/nixlang/scope.js';
import type { RawDiagnostic } from '../../src/nixlang/cursor.js';
import { FIXTURES, repoNixFiles } from './corpus.js';
import { Generator, mutate, soup } from './generator.js';

const seed = Number(process.env.NIXLANG_SEED ?? Math.floor(Math.random() * 1e9));

type Found = { message: string; offset: number }[];

/** One report per offset, the first in offset order, as parseNix keeps them. */
function positioned(raw: RawDiagnostic[]): Found {
  const seen = new Set<number>();
  const out: Found = [];
  for (const d of [...raw].sort((a, b) => a.offset - b.offset)) {
    if (seen.has(d.offset)) continue;
    seen.add(d.offset);
    out.push({ message: d.message, offset: d.offset });
  }
  return out;
}

function viaLowering(source: string | Buffer): Found {
  const tree = parseNix(source, { check: false });
  if (tree.diagnostics.length > 0)
    return tree.diagnostics.map(({ message, offset }) => ({ message, offset }));
  const lowerer = new Lowerer({ basePath: '/', home: '/' }, null);
  const lowered = lowerer.lower(tree.root);
  const raw = [...lowerer.diagnostics];
  checkScopes(lowered, raw);
  return positioned(raw);
}

function direct(source: string | Buffer): Found {
  return parseNix(source).diagnostics.map(({ message, offset }) => ({ message, offset }));
}

function differences(sources: [string, string | Buffer][]): string[] {
  const out: string[] = [];
  for (const [label, source] of sources) {
    const want = viaLowering(source);
    const got = direct(source);
    if (JSON.stringify(got) !== JSON.stringify(want))
      out.push(`${label}: ${JSON.stringify(got)} != ${JSON.stringify(want)}`);
  }
  return out;
}

// Where the merging of sets decides what is bound, or what is dropped unbound.
const EDGE_CASES = [
  '{ a.b = 1; a = { c = x; }; }',
  '{ a = { b = 1; }; a = rec { c = b; }; }',
  'rec { a = { b = 1; }; a = rec { c = b; d = a; }; }',
  '{ a.b = 1; a = { b = y; ${z} = w; }; }',
  '{ a = 1; a.b = x; }',
  '{ a = 1; a = x; }',
  '{ a = { b = 1; b = 2; }; a = { b = x; }; }',
  '{ a.b = 1; a = { b.c = 2; b = 3; }; }',
  'let inherit (x) a b; in a',
  'let inherit (x); in 1',
  '{ inherit (x) a; a = 1; }',
  '{ a = { inherit (x) b; }; a = { inherit (y) b c; }; }',
  '{ a = { b = 1; }; a = { inherit (y) b; }; }',
  'let ${a} = 1; in 1',
  'let a.${b} = c; in a',
  'let ${a}.b = c; in 1',
  '{ inherit ${a}; }',
  '{ inherit "a" a; }',
  '{ "a" = 1; a = 2; }',
  '{ ${"a"} = 1; a = 2; }',
  "{ ${''a''} = 1; a = 2; }",
  '{ ${("a")} = 1; a = 2; }',
  '{ ${http://a} = 1; "http://a" = 2; }',
  '{ "${a}" = 1; }',
  '{ ${1} = 2; }',
  'x: { x, y }: x',
  '{ x, x ? y }: x',
  'x @ { x, ... }: x',
  '{ ... } @ y: y',
  'with x; a',
  'let a = 1; inherit a; in a',
  'rec { inherit a; a = 1; }',
  'rec { inherit __curPos; }',
  '__curPos',
  'a.${b}.c or d',
  'a ? ${b}.c',
  'let { body = x; x = 1; }',
  '{ a = ({ b = 1; }); a = { c = d; }; }',
  '{ a = { b = 1; }; a = ({ c = d; }); }',
  '{ a = let { body = 1; }; a.b = 2; }',
  '{ a.b.c = x; a.b = { d = y; }; a = { b = { e = z; }; }; }',
  '{ a = { ${x} = 1; }; a.b = 2; }',
  '{ a = { b = 1; }; a = { b = { c = 1; c = y; }; }; }',
  '{ a = 1; a = { b = 1; b = x; }; }',
  '{ a = 1; a.b = { c = 1; c = x; }; }',
  '{ a = { b = 1; }; a = { ${x} = { c = 1; c = y; }; }; }',
  'let ${a} = { b = 1; b = y; }; in 1',
  'let inherit ({ a = 1; a = y; }); in 1',
  '{ inherit ({ a = 1; a = y; }) b; b = 1; }',
  '{ a = { b = 1; }; a = { inherit ({ c = 1; c = y; }) b; }; }',
  'x: x."${y}".${z + x}',
  'x: x ? "${y}"',
  '{ a = { b = 1; }; a = { "${y}" = 1; }; }',
  'rec { a."${b}" = 1; b = 1; }',
  '{ a = { b = 1; }; a = { b = f { c = 1; c = y; }; }; }',
  '{ a = 1; a = f { b = 1; b = x; }; }',
];

describe('the direct check reports what lowering and binding report', () => {
  it('on hand-written edge cases of set merging, inherit and scopes', () => {
    expect(differences(EDGE_CASES.map((s) => [s, s]))).toEqual([]);
  });

  it("on the nixlang fixtures and this repository's .nix files", () => {
    const fixtures = readdirSync(FIXTURES)
      .sort()
      .map((f): [string, Buffer] => [f, readFileSync(join(FIXTURES, f))]);
    const repo = repoNixFiles().map((f): [string, Buffer] => [f, readFileSync(f)]);
    expect(differences([...fixtures, ...repo])).toEqual([]);
  });

  it.runIf(existsSync('../shared/upstream'))(
    'on every .nix file under ../shared/upstream',
    () => {
      const files = repoNixFiles('../shared/upstream');
      expect(files.length).toBeGreaterThan(100);
      const sources = files.map((f): [string, Buffer] => [
        f,
        readFileSync(join('../shared/upstream', f)),
      ]);
      expect(differences(sources)).toEqual([]);
    },
    60_000,
  );

  it(`on generated, damaged and token-soup programs (seed ${seed})`, () => {
    const sources: [string, string][] = [];
    const fixtures = readdirSync(FIXTURES).sort();
    for (let i = 0; i < 1500; i++) {
      const program = new Generator(seed + i).program();
      sources.push([`generated ${seed + i}`, program]);
      const base =
        i % 2 === 0
          ? readFileSync(join(FIXTURES, fixtures[i % fixtures.length]!), 'utf8')
          : program;
      sources.push([`mutated ${seed + i}`, mutate(base, seed + i)]);
      sources.push([`soup ${seed + i}`, soup(seed + i)]);
    }
    expect(differences(sources).slice(0, 5)).toEqual([]);
  });
});
