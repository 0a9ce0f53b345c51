// Round trip: the trivia-preserving printer reproduces every corpus file byte
// for byte, node ranges nest properly, and replacing one node leaves every
// other byte untouched.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseNix } from '../../src/nixlang/index.js';
import type { Node, SyntaxTree } from '../../src/nixlang/ast.js';
import { printSource, trivia } from '../../src/nixlang/print-source.js';
import { children, walk } from '../../src/nixlang/visit.js';
import { repoNixFiles } from './corpus.js';
import { Generator, mutate } from './generator.js';

const seed = Number(process.env.NIXLANG_SEED ?? Math.floor(Math.random() * 1e9));

/** Children lie inside their parent, in order, without overlap. */
function rangeProblems(tree: SyntaxTree): string[] {
  const problems: string[] = [];
  walk(tree.root, (node) => {
    let at = node.start;
    for (const child of children(node)) {
      if (child.start < at || child.end > node.end || child.start > child.end) {
        problems.push(
          `${child.type} [${child.start},${child.end}) inside ${node.type} [${node.start},${node.end})`,
        );
      }
      at = Math.max(at, child.end);
    }
  });
  return problems;
}

function corpus(): { label: string; bytes: Buffer }[] {
  const files = repoNixFiles().map((f) => ({ label: f, bytes: readFileSync(f) }));
  for (let i = 0; i < 1000; i++) {
    const program = new Generator(seed + i).program();
    files.push({ label: `generated seed ${seed + i}`, bytes: Buffer.from(program) });
    files.push({
      label: `mutated seed ${seed + i}`,
      bytes: Buffer.from(mutate(program, seed + i)),
    });
  }
  return files;
}

describe('trivia-preserving printer', () => {
  it(`reproduces every repo file and 2000 generated/damaged programs byte for byte (seed ${seed})`, () => {
    const failures: string[] = [];
    for (const { label, bytes } of corpus()) {
      const tree = parseNix(bytes);
      const printed = Buffer.from(printSource(tree), 'latin1');
      if (!printed.equals(bytes)) failures.push(label);
      const problems = rangeProblems(tree);
      if (problems.length > 0) failures.push(`${label}: ${problems[0]}`);
    }
    expect(failures.slice(0, 5)).toEqual([]);
  });

  it('keeps comments and whitespace as trivia covering exactly the bytes between tokens', () => {
    const src = '{ # line\n  a /* block */ = 1;\r\n}\n';
    const tree = parseNix(src);
    const t = trivia(tree);
    expect(t.map((x) => [x.kind, src.slice(x.start, x.end)])).toEqual([
      ['whitespace', ' '],
      ['line-comment', '# line'],
      ['whitespace', '\n  '],
      ['whitespace', ' '],
      ['block-comment', '/* block */'],
      ['whitespace', ' '],
      ['whitespace', ' '],
      ['whitespace', '\r\n'],
      ['whitespace', '\n'],
    ]);
  });

  it('replaces one node and leaves every other byte as it was', () => {
    const src =
      '{ pkgs, ... }:\n{\n  # keep me\n  imports = [ ./a.nix   ./b.nix ];  /* and me */\n  x = 1;\n}\n';
    const tree = parseNix(src);
    let target: Node | undefined;
    walk(tree.root, (n) => {
      if (n.type === 'Path' && src.slice(n.start, n.end) === './b.nix') target = n;
    });
    expect(target).toBeDefined();
    const out = printSource(tree, new Map([[target!, './c.nix']]));
    expect(out).toBe(src.replace('./b.nix', './c.nix'));
  });

  it('gives byte offsets, not UTF-16 offsets, for non-ASCII text', () => {
    const src = '{ "é" = "✓"; b = 1; }';
    const tree = parseNix(src);
    const bytes = Buffer.from(src, 'utf8');
    let b: Node | undefined;
    walk(tree.root, (n) => {
      if (n.type === 'Identifier' && n.name === 'b') b = n;
    });
    expect(b!.start).toBe(bytes.indexOf('b = 1'));
    expect(Buffer.from(printSource(tree), 'latin1').equals(bytes)).toBe(true);
  });
});

describe('leading comments', () => {
  it('finds the comments documenting a binding, not those further up', async () => {
    const { leadingComments } = await import('../../src/nixlang/print-source.js');
    const src =
      '{\n  # unrelated\n\n\n  # Enables x.\n  /* more */\n  x = 1;\n  y = 2; # trailing\n}\n';
    const tree = parseNix(src);
    let x: Node | undefined;
    walk(tree.root, (n) => {
      if (n.type === 'Binding' && src.slice(n.start, n.start + 1) === 'x') x = n;
    });
    const comments = leadingComments(tree, x!).map((c) => src.slice(c.start, c.end));
    expect(comments).toEqual(['# Enables x.', '/* more */']);
  });
});
