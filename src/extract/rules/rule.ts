// The one interface every classifier rule implements: look at one file,
// return evidence. Rules never decide the label; classify.ts weighs them.
import { Buffer } from 'node:buffer';
import { decode } from '../../nixlang/index.js';
import type { FileContext } from '../context.js';
import type { Evidence, Identifiers } from '../model.js';

export interface Rule {
  id: string;
  /** One line for docs and --help. */
  summary: string;
  check(ctx: FileContext): Evidence[];
  /**
   * For a rule that reads the identifiers learned from the whole repository:
   * whether they can change what it finds in a file with this source (the
   * byte string of the tree). The analysis first runs every rule with none
   * learned yet, and again only on the files where a rule says yes; a rule
   * may say yes too often, never too rarely.
   */
  usesIdentifiers?(source: string, ids: Identifiers): boolean;
}

/** A literal run of text in the file: string and path pieces, attribute and formal names. */
export interface Piece {
  start: number;
  end: number;
  /** The raw source text of the piece, decoded (offsets below are into this). */
  text: string;
  kind: 'string' | 'path' | 'name';
}

export function pieces(ctx: FileContext): Piece[] {
  return ctx.memo('pieces', () => {
    const source = ctx.tree.source;
    return ctx.index.pieces.map((n) => ({
      start: n.start,
      end: n.end,
      text: decode(source.slice(n.start, n.end)),
      kind: n.type === 'PathLiteral' ? 'path' : n.type === 'Identifier' ? 'name' : 'string',
    }));
  });
}

/** Byte offset in the file of character `index` of a piece's text. */
export function offsetIn(piece: Piece, index: number): number {
  return piece.start + Buffer.byteLength(piece.text.slice(0, index), 'utf8');
}

/** Every regex match in every piece, as [piece, match]. The regex must have the g flag. */
export function matches(
  ctx: FileContext,
  re: RegExp,
  kinds: Piece['kind'][] = ['string', 'path', 'name'],
  /** Text every match contains (`@` for an e-mail): a cheaper test than the pattern. */
  needle?: string,
): [Piece, RegExpExecArray][] {
  const out: [Piece, RegExpExecArray][] = [];
  // Most patterns match nowhere in a file: one pass over the raw bytes
  // decides that before the pieces are even collected.
  // (The source is a byte string, so only an ASCII pattern can be tested on it.)
  re.lastIndex = 0;
  if (needle !== undefined) {
    if (!ctx.tree.source.includes(needle)) return out;
  } else if (asciiPattern(re) && !re.test(ctx.tree.source)) {
    return out;
  }
  for (const p of pieces(ctx)) {
    if (!kinds.includes(p.kind)) continue;
    re.lastIndex = 0;
    for (let m = re.exec(p.text); m; m = re.exec(p.text)) {
      out.push([p, m]);
      if (m[0] === '') re.lastIndex++;
    }
  }
  return out;
}

// A pattern's source is the same on every call: look at its characters once
// (the rules call matches ~15 times per file, with sources of up to 300 characters).
const asciiPatterns = new WeakMap<RegExp, boolean>();
function asciiPattern(re: RegExp): boolean {
  let ascii = asciiPatterns.get(re);
  if (ascii === undefined) {
    ascii = isAscii(re.source);
    asciiPatterns.set(re, ascii);
  }
  return ascii;
}

export function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 127) return false;
  return true;
}

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
