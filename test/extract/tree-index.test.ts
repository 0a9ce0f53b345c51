import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseNix, type Node } from '../../src/nixlang/index.js';
import { boundAttrPaths, stringLiterals, walk } from '../../src/nixlang/visit.js';
import { indexTree } from '../../src/extract/tree-index.js';

// The one-walk index must give what the separate nixlang queries give, in the
// same order: the evidence order and the edge order of the report depend on it.
function nixFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.nix'))
    .map((e) => join(e.parentPath, e.name));
}

const fixtures = new URL('../fixtures/', import.meta.url).pathname;
const files = [...nixFiles(join(fixtures, 'extract')), ...nixFiles(join(fixtures, 'nixlang'))];

const isPiece = (n: Node): boolean =>
  n.type === 'StringLiteral' ||
  (n.type === 'IndentedLiteral' && !n.escape) ||
  n.type === 'PathLiteral' ||
  n.type === 'Identifier';

describe('indexTree', () => {
  it(`agrees with boundAttrPaths, stringLiterals and walk on ${files.length} fixture files`, () => {
    expect(files.length).toBeGreaterThan(50);
    for (const file of files) {
      const tree = parseNix(readFileSync(file), { check: false });
      const index = indexTree(tree.root);
      const bound = (bs: ReturnType<typeof boundAttrPaths>) =>
        bs.map((b) => [b.path, b.binding.start, b.value?.start ?? null]);
      expect(bound(index.bound), file).toEqual(bound(boundAttrPaths(tree)));
      expect(
        index.strings.map((s) => s.start),
        file,
      ).toEqual(stringLiterals(tree).map((s) => s.start));
      const pieces: number[] = [];
      walk(tree.root, (n) => {
        if (isPiece(n)) pieces.push(n.start);
      });
      expect(
        index.pieces.map((p) => p.start),
        file,
      ).toEqual(pieces);
    }
  });

  it(`names every name of every bound path, each once, on ${files.length} fixture files`, () => {
    const sample = parseNix(
      '{ a.b = { c = 1; "d e" = (rec { f = 2; }); }; inherit (x) g; ${h}.i = 3; l = let m = { n = 4; }; in m; }',
      { check: false },
    );
    for (const tree of [sample, ...files.map((f) => parseNix(readFileSync(f), { check: false }))]) {
      const index = indexTree(tree.root);
      const all = new Set(index.bound.flatMap((b) => b.path.filter((p) => p !== null)));
      expect([...index.names].sort()).toEqual([...all].sort());
    }
    expect([...indexTree(sample.root).names].sort()).toEqual(
      ['a', 'b', 'c', 'd e', 'f', 'g', 'i', 'l', 'm', 'n'].sort(),
    );
  });

  it('walks a tree far deeper than it recurses, in the same order as walk', () => {
    // `+` is left-associative: 20,000 terms nest 20,000 deep; a call chain as deep.
    const terms = Array.from({ length: 20_000 }, (_, i) => `"s${i}"`).join(' + ');
    const args = Array.from({ length: 20_000 }, (_, i) => `a${i}`).join(' ');
    const src = `{ x = ${terms}; y = f ${args}; z = let q = [ ./p.nix ]; in { imports = q; }; }`;
    const tree = parseNix(src, { check: false });
    const index = indexTree(tree.root);
    const pieces: number[] = [];
    walk(tree.root, (n) => {
      if (isPiece(n)) pieces.push(n.start);
    });
    expect(index.pieces.map((p) => p.start)).toEqual(pieces);
    expect(index.strings).toHaveLength(20_000);
    expect(index.bound.map((b) => b.path)).toEqual(boundAttrPaths(tree).map((b) => b.path));
    expect(index.links.map((l) => l.site)).toEqual(['imports']);
  });

  it('keeps the source order of attribute names below the depth it recurses to', () => {
    // Deep in the chain, a selection's set waits for the explicit stack; its
    // name after it must wait too.
    const terms = Array.from({ length: 2_000 }, (_, i) => `{ p${i} = "v"; }.q${i}`).join(' + ');
    const tree = parseNix(`{ x = ${terms}; }`, { check: false });
    const pieces: number[] = [];
    walk(tree.root, (n) => {
      if (isPiece(n)) pieces.push(n.start);
    });
    expect(indexTree(tree.root).pieces.map((p) => p.start)).toEqual(pieces);
  });

  it('binds nothing inside an interpolated attribute name, as boundAttrPaths', () => {
    const tree = parseNix('{ ${ ({ a = 1; }).a } = { b = 2; }; c = ({ d = 3; }); }', {
      check: false,
    });
    const paths = indexTree(tree.root).bound.map((b) => b.path);
    expect(paths).toEqual([[null], [null, 'b'], ['c'], ['c', 'd']]);
    expect(paths).toEqual(boundAttrPaths(tree).map((b) => b.path));
  });

  it('records where a path sits: imports list, builder modules, path value, call', () => {
    const tree = parseNix(
      '{ imports = [ ./a.nix ]; x = nixosSystem { modules = [ ./b.nix ]; }; y = ./c.nix; z = import ./d.nix; }',
      { check: false },
    );
    const links = indexTree(tree.root).links.map((l) => [l.site, l.builder, l.callee]);
    expect(links).toEqual([
      ['imports', null, null],
      ['modules', 'nixosSystem', null],
      ['path-value', null, null],
      ['call', null, 'import'],
    ]);
  });

  // A call `f a b` is two Apps; the index takes the chain at once. Its links
  // come as the App-by-App walk gave them (the order main's walk gave):
  // each App's own path argument, outermost first, then what the callee and
  // the arguments hold, innermost argument first; the Apps inside a builder's
  // call see that builder.
  it('links the path arguments of a call chain in the order of the walk', () => {
    const src = [
      '{ a = f (g ./a.nix ./b.nix) ./c.nix;',
      '  b = lib.nixosSystem { modules = [ ./m.nix (import ./i.nix) ]; } ./p.nix;',
      '  c = ((callPackage ./q.nix) { }) ./r.nix;',
      '  d = mkFlake ./s.nix { modules = [ ./t.nix ]; }; }',
    ].join('\n');
    const links = indexTree(parseNix(src, { check: false }).root).links.map((l) => [
      src.slice(l.node.start, l.node.end),
      l.site,
      l.builder,
      l.callee,
      l.calleeIsVar,
    ]);
    expect(links).toEqual([
      ['./c.nix', 'call', null, 'f', false],
      ['./b.nix', 'call', null, 'g', false],
      ['./a.nix', 'call', null, 'g', true],
      ['./p.nix', 'call', null, 'nixosSystem', false],
      ['./m.nix', 'modules', 'nixosSystem', null, false],
      ['(import ./i.nix)', 'modules', 'nixosSystem', null, false],
      ['./i.nix', 'call', 'nixosSystem', 'import', true],
      ['./r.nix', 'call', null, 'callPackage', false],
      ['./q.nix', 'call', null, 'callPackage', true],
      ['./s.nix', 'call', 'mkFlake', 'mkFlake', true],
      ['./t.nix', 'modules', 'mkFlake', null, false],
    ]);
  });

  it('links every path argument of a call chain far longer than the walk recurses', () => {
    const args = Array.from({ length: 5_000 }, (_, i) => `./p${i}.nix`);
    const src = `{ x = f ${args.join(' ')}; }`;
    const links = indexTree(parseNix(src, { check: false }).root).links;
    expect(links.map((l) => src.slice(l.node.start, l.node.end))).toEqual([...args].reverse());
    expect(links.every((l) => l.callee === 'f')).toBe(true);
  });
});
