// Focused parser behaviour: tree shape, precedence, diagnostics with
// positions, recovery at the next binding or list element, pipe operators.
import { describe, expect, it } from 'vitest';
import { parseNix, printNixParse } from '../../src/nixlang/index.js';
import type { Expr } from '../../src/nixlang/ast.js';

const print = (src: string, pipes = false): string =>
  printNixParse(parseNix(src, { pipes }), { basePath: '/base', home: '/home/u' });

describe('parser', () => {
  it('gives every node its exact byte range', () => {
    const src = 'x: { a.b = x + 1; }';
    const tree = parseNix(src);
    const lambda = tree.root as Extract<Expr, { type: 'Lambda' }>;
    expect(lambda.type).toBe('Lambda');
    expect(src.slice(lambda.body.start, lambda.body.end)).toBe('{ a.b = x + 1; }');
  });

  it('follows Nix precedence: ! below +, unary minus above application', () => {
    expect(print('a: b: c: !a + b')).toBe('(a: (b: (c: (! (a + b)))))');
    expect(print('f: -f 1')).toBe('(f: (__sub 0 (f 1)))');
    expect(print('a: b: a ++ b ? c')).toBe('(a: (b: (a ++ ((b) ? c))))');
  });

  it('resolves paths against the base directory and home', () => {
    expect(print('[ ./a/../b ~/c ]')).toBe('[ (/base/b) (/home/u/c) ]');
  });

  it('reports numbers Nix cannot represent, as its lexer does', () => {
    const messages = (src: string): string[] => parseNix(src).diagnostics.map((d) => d.message);
    expect(messages('[ 9223372036854775807 000000000000000000000001 1.5 0.0e-400 ]')).toEqual([]);
    expect(messages('[ 9223372036854775808 1.0e400 1.5e-400 ]')).toEqual([
      "invalid integer '9223372036854775808'",
      "invalid float '1.0e400'",
      "invalid float '1.5e-400'",
    ]);
  });

  it('reports diagnostics with message, 1-based line and column, and byte offset', () => {
    const tree = parseNix('{\n  a = 1;\n  b = ;\n}');
    expect(tree.diagnostics).toHaveLength(1);
    expect(tree.diagnostics[0]).toMatchObject({ line: 3, column: 7, offset: 17 });
    expect(tree.diagnostics[0]!.message).toMatch(/unexpected ';'/);
  });

  it('recovers at the next binding and keeps the rest of the set', () => {
    const tree = parseNix('{ a = 1 +; b = 2; c = ]; d = 4; }');
    expect(tree.diagnostics.length).toBeGreaterThanOrEqual(2);
    const attrs = tree.root as Extract<Expr, { type: 'Attrs' }>;
    const names = attrs.bindings.map((b) =>
      b.type === 'Binding' && b.path[0]?.type === 'Identifier' ? b.path[0].name : '?',
    );
    expect(names).toEqual(['a', 'b', 'c', 'd']);
  });

  it('recovers at the next list element', () => {
    const tree = parseNix('[ 1 ; 2 ) 3 ]');
    const list = tree.root as Extract<Expr, { type: 'List' }>;
    expect(tree.diagnostics.length).toBeGreaterThan(0);
    expect(list.type).toBe('List');
    expect(list.items.map((i) => (i.type === 'Int' ? i.text : i.type))).toEqual(['1', '2']);
  });

  it('reports what Nix reports after parsing: duplicates and unbound variables', () => {
    expect(parseNix('{ a = 1; a = 2; }').diagnostics[0]!.message).toBe(
      "attribute 'a' already defined",
    );
    expect(parseNix('{ a, a }: a').diagnostics[0]!.message).toMatch(/duplicate formal/);
    expect(parseNix('x: y').diagnostics[0]!.message).toBe("undefined variable 'y'");
    expect(parseNix('with {}; y').diagnostics).toEqual([]);
    expect(parseNix('x: y', { check: false }).diagnostics).toEqual([]);
  });

  it('parses pipe operators only when asked', () => {
    expect(parseNix('f: x: x |> f').diagnostics.length).toBeGreaterThan(0);
    expect(print('f: g: x: x |> f |> g', true)).toBe('(f: (g: (x: (g (f x)))))');
    expect(print('f: g: x: f <| g <| x', true)).toBe('(f: (g: (x: (f (g x)))))');
    expect(print('f: x: y: x |> f y', true)).toBe('(f: (x: (y: (f y x))))');
    expect(parseNix('f: g: x: f <| x |> g', { pipes: true }).diagnostics[0]!.message).toMatch(
      /mixing/,
    );
  });
});
