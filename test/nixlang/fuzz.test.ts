// Fuzz: random bytes and damaged programs never make the parser throw, the
// tree still covers the input, and every diagnostic points inside the file
// with a line and column that match its byte offset.
import { describe, expect, it } from 'vitest';
import { parseNix } from '../../src/nixlang/index.js';
import { printSource } from '../../src/nixlang/print-source.js';
import { Generator, mutate, rng } from './generator.js';

const seed = Number(process.env.NIXLANG_SEED ?? Math.floor(Math.random() * 1e9));

function lineCol(bytes: Buffer, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

function check(bytes: Buffer, pipes: boolean): string | null {
  let tree;
  try {
    tree = parseNix(bytes, { pipes });
  } catch (error) {
    return `threw ${(error as Error).message}`;
  }
  if (!Buffer.from(printSource(tree), 'latin1').equals(bytes)) return 'round trip differs';
  for (const d of tree.diagnostics) {
    if (d.offset < 0 || d.offset > bytes.length) return `offset ${d.offset} outside file`;
    const want = lineCol(bytes, d.offset);
    if (d.line !== want.line || d.column !== want.column)
      return `position ${d.line}:${d.column} != ${want.line}:${want.column}`;
    if (!d.message) return 'empty message';
  }
  return null;
}

const ALPHABET = Buffer.from(
  '{}[]()"\'$\\;:.,?@=<>+-*/!|&#~ \n\tabcxyz019._orinletrecwith\r\xff\x00',
);

describe('fuzz', () => {
  it(`survives 3000 random byte strings (seed ${seed})`, () => {
    const r = rng(seed);
    const failures: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const len = Math.floor(r() * 60);
      const bytes = Buffer.alloc(len);
      for (let j = 0; j < len; j++) {
        bytes[j] = r() < 0.8 ? ALPHABET[Math.floor(r() * ALPHABET.length)]! : Math.floor(r() * 256);
      }
      const problem = check(bytes, r() < 0.5);
      if (problem) failures.push(`${JSON.stringify(bytes.toString('latin1'))}: ${problem}`);
    }
    expect(failures.slice(0, 5)).toEqual([]);
  });

  it(`survives 2000 damaged programs (seed ${seed})`, () => {
    const failures: string[] = [];
    for (let i = 0; i < 2000; i++) {
      const src = mutate(mutate(new Generator(seed + i).program(), seed + i), seed - i);
      const problem = check(Buffer.from(src), i % 2 === 0);
      if (problem) failures.push(`seed ${seed + i}: ${problem}`);
    }
    expect(failures.slice(0, 5)).toEqual([]);
  });

  it('reports deep nesting instead of overflowing the stack', () => {
    const deep = `${'['.repeat(50000)}${']'.repeat(50000)}`;
    const tree = parseNix(deep);
    expect(tree.diagnostics[0]?.message).toMatch(/nested too deeply/);
    const chain = Array.from({ length: 20000 }, (_, i) => `x${i}`).join(' ++ ');
    expect(() => parseNix(`x: ${chain}`)).not.toThrow();
  });
});
