// The one interface every classifier rule implements: look at one file,
// return evidence. Rules never decide the label; classify.ts weighs them.
import { Buffer } from 'node:buffer';
import { decode } from '../../nixlang/index.js';
import type { FileContext } from '../context.js';
import type { PieceNode } from '../tree-index.js';
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

type Kind = Piece['kind'];

function kindOf(node: PieceNode): Kind {
  return node.type === 'PathLiteral' ? 'path' : node.type === 'Identifier' ? 'name' : 'string';
}

// Kinds as bits, so that a search tests a piece's kind without a lookup.
const STRING = 1;
const PATH = 2;
const NAME = 4;

function bitOf(node: PieceNode): number {
  return node.type === 'PathLiteral' ? PATH : node.type === 'Identifier' ? NAME : STRING;
}

function maskOf(kinds: readonly Kind[]): number {
  let mask = 0;
  for (let i = 0; i < kinds.length; i++)
    mask |= kinds[i] === 'string' ? STRING : kinds[i] === 'path' ? PATH : NAME;
  return mask;
}

/**
 * The pieces of a file, each decoded when a rule first reads it: most rules
 * look at a few pieces of a few files, and three in four pieces are names
 * that only two searches read.
 */
class Pieces {
  private readonly made: (Piece | undefined)[];

  constructor(
    private readonly source: string,
    readonly nodes: readonly PieceNode[],
  ) {
    this.made = new Array<Piece | undefined>(nodes.length);
  }

  at(i: number): Piece {
    let piece = this.made[i];
    if (piece === undefined) {
      const n = this.nodes[i]!;
      piece = {
        start: n.start,
        end: n.end,
        text: decode(this.source.slice(n.start, n.end)),
        kind: kindOf(n),
      };
      this.made[i] = piece;
    }
    return piece;
  }
}

function lazyPieces(ctx: FileContext): Pieces {
  return ctx.memo('pieces', makePieces);
}

function makePieces(ctx: FileContext): Pieces {
  return new Pieces(ctx.tree.source, ctx.index.pieces);
}

/** Every piece of the file, in source order. */
export function pieces(ctx: FileContext): Piece[] {
  const all = lazyPieces(ctx);
  return all.nodes.map((_, i) => all.at(i));
}

/** How long a string the rules look at whole may be (templates' placeholders), in characters. */
const SHORT = 80;

/**
 * The string pieces of at most SHORT characters (decoded), in source order.
 * Longer ones are never decoded: a piece of more than 3 bytes per character
 * allowed is too long whatever it holds, and an ASCII one has a byte per character.
 */
export function shortStrings(ctx: FileContext): Piece[] {
  const all = lazyPieces(ctx);
  const source = ctx.tree.source;
  const out: Piece[] = [];
  for (let i = 0; i < all.nodes.length; i++) {
    if (!mayBeShort(source, all.nodes[i]!)) continue;
    const piece = all.at(i);
    if (piece.text.length <= SHORT) out.push(piece);
  }
  return out;
}

/**
 * Whether a piece may be a string of at most SHORT characters, from its
 * bytes: more than 3 bytes per character allowed is too long whatever it
 * holds, and an ASCII piece has a byte per character. (The rare middle case
 * is tested by the regex engine rather than a loop over each byte.)
 */
function mayBeShort(source: string, n: PieceNode): boolean {
  if (kindOf(n) !== 'string') return false;
  const bytes = n.end - n.start;
  return bytes <= SHORT || (bytes <= 3 * SHORT && NON_ASCII.test(source.slice(n.start, n.end)));
}

/** Byte offset in the file of character `index` of a piece's text. */
export function offsetIn(piece: Piece, index: number): number {
  return piece.start + Buffer.byteLength(piece.text.slice(0, index), 'utf8');
}

/**
 * The decoded text of every string and path piece, a newline between two.
 * A search that finds nothing in it finds nothing in any of those pieces,
 * when the pattern is not anchored by ^ or $ (see anchored) and asks nothing
 * of the characters beside a match that a newline answers otherwise than the
 * edge of a text (as `\b` and a look-behind for word characters do not).
 * It holds a third of a file's bytes: a search that finds nothing, as most
 * do, is cheaper here than in the whole file, and exact for every pattern.
 * (Decoding the joined bytes gives the joined decoded pieces: a newline ends
 * an unfinished UTF-8 sequence before it, as the end of a piece does.)
 * The pieces that may be short strings come first (see shortStringText).
 */
export function literalText(ctx: FileContext): string {
  return literal(ctx).text;
}

/**
 * The start of literalText that holds the pieces that may be short strings
 * (see shortStrings): a third of the text, and of files with a placeholder's
 * first sign somewhere in their strings, only one in four has it in a short one.
 */
export function shortStringText(ctx: FileContext): string {
  return literal(ctx).short;
}

function literal(ctx: FileContext): Literal {
  return ctx.memo('literal-text', makeLiteral);
}

interface Literal {
  text: string;
  short: string;
}

function makeLiteral(ctx: FileContext): Literal {
  const short: string[] = [];
  const others: string[] = [];
  splitPieces(ctx.tree.source, ctx.index.pieces, short, others);
  const shortBytes = short.join('\n');
  const bytes = others.length === 0 ? shortBytes : `${shortBytes}\n${others.join('\n')}`;
  // What decode does, with its test of each character made by the regex
  // engine: a third of the cost over a file's worth of text.
  if (!NON_ASCII.test(bytes)) return { text: bytes, short: shortBytes };
  return { text: decode(bytes), short: decode(shortBytes) };
}

/**
 * The bytes of each string and path piece, into `short` where it may be a
 * short string (see shortStrings), else into `others`. (A function of its
 * own: the loop over every piece of every file is what gets optimised, and
 * without the decoding after it, the optimising compiler's work is small.)
 */
function splitPieces(
  source: string,
  nodes: readonly PieceNode[],
  short: string[],
  others: string[],
): void {
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i]!;
    if (n.type === 'Identifier') continue;
    (mayBeShort(source, n) ? short : others).push(source.slice(n.start, n.end));
  }
}

const NON_ASCII = /[\x80-\uffff]/;

const ALL_KINDS: readonly Kind[] = ['string', 'path', 'name'];

/** Every regex match in every piece, as [piece, match]. The regex must have the g flag. */
export function matches(
  ctx: FileContext,
  re: RegExp,
  kinds: readonly Kind[] = ALL_KINDS,
  /**
   * ASCII texts one of which every match of the pattern contains (`@` for an
   * e-mail): a cheaper test than the pattern, of the file and of each piece.
   */
  needles?: string | readonly string[],
): [Piece, RegExpExecArray][] {
  const out: [Piece, RegExpExecArray][] = [];
  const source = ctx.tree.source;
  const mask = maskOf(kinds);
  // Most patterns match nowhere in a file: one search of the file, or of the
  // text of its pieces, decides that before any piece is decoded.
  re.lastIndex = 0;
  if (needles !== undefined) {
    // Without names, the text of the pieces has every needle that stands in
    // one: a third of the file to look through first, for most files the last.
    if ((mask & NAME) === 0 && !includesAny(literalText(ctx), needles)) return out;
    return searchAround(ctx, re, mask, needles);
  }
  if (anchored(re)) {
    // ^ and $ stand for the edges of each piece: no text of the whole file has them there.
  } else if ((mask & NAME) === 0) {
    if (!re.test(literalText(ctx))) return out;
  } else if (asciiPattern(re) && !re.test(source)) {
    // (The source is a byte string, so only an ASCII pattern can be tested on it.)
    return out;
  }
  const all = lazyPieces(ctx);
  for (let i = 0; i < all.nodes.length; i++)
    if ((mask & bitOf(all.nodes[i]!)) !== 0) search(re, all.at(i), out);
  return out;
}

function includesAny(text: string, needles: string | readonly string[]): boolean {
  if (typeof needles === 'string') return text.includes(needles);
  for (let i = 0; i < needles.length; i++) if (text.includes(needles[i]!)) return true;
  return false;
}

function search(re: RegExp, p: Piece, out: [Piece, RegExpExecArray][]): void {
  re.lastIndex = 0;
  for (let m = re.exec(p.text); m; m = re.exec(p.text)) {
    out.push([p, m]);
    if (m[0] === '') re.lastIndex++;
  }
}

/**
 * The search of the pieces that hold a needle: each place of a needle in the
 * file is looked up among the pieces (sorted by where they start, none inside
 * another), so a file with a few `@` is not read piece by piece. UTF-8 keeps
 * ASCII bytes as they are and makes no ASCII character of other bytes: a
 * piece holds a needle when its bytes do.
 */
function searchAround(
  ctx: FileContext,
  re: RegExp,
  mask: number,
  needles: string | readonly string[],
): [Piece, RegExpExecArray][] {
  const source = ctx.tree.source;
  const nodes = ctx.index.pieces;
  // Made at the first hit (and the file's Pieces after the last): most files have none.
  let hits: number[] | null = null;
  const count = typeof needles === 'string' ? 1 : needles.length;
  for (let k = 0; k < count; k++) {
    const needle = typeof needles === 'string' ? needles : needles[k]!;
    for (let at = source.indexOf(needle); at !== -1; at = source.indexOf(needle, at + 1)) {
      const i = pieceBefore(nodes, at);
      if (i < 0 || at + needle.length > nodes[i]!.end) continue;
      if ((mask & bitOf(nodes[i]!)) !== 0) (hits ??= []).push(i);
    }
  }
  const out: [Piece, RegExpExecArray][] = [];
  if (hits === null) return out;
  const all = lazyPieces(ctx);
  hits.sort((a, b) => a - b);
  for (let k = 0; k < hits.length; k++)
    if (k === 0 || hits[k] !== hits[k - 1]) search(re, all.at(hits[k]!), out);
  return out;
}

/** The last piece that starts at or before `offset` (-1: none). */
function pieceBefore(nodes: readonly PieceNode[], offset: number): number {
  let lo = 0;
  let hi = nodes.length - 1;
  if (hi < 0 || nodes[0]!.start > offset) return -1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (nodes[mid]!.start <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
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

const anchoredPatterns = new WeakMap<RegExp, boolean>();
/** Whether the pattern holds ^ or $ that match only at the edges of the text. */
function anchored(re: RegExp): boolean {
  let found = anchoredPatterns.get(re);
  if (found === undefined) {
    found = false;
    const src = re.source;
    for (let i = 0, inClass = false; i < src.length && !re.multiline; i++) {
      const c = src[i];
      if (c === '\\') i++;
      else if (inClass) inClass = c !== ']';
      else if (c === '[') inClass = true;
      else if (c === '^' || c === '$') found = true;
    }
    anchoredPatterns.set(re, found);
  }
  return found;
}

export function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 127) return false;
  return true;
}

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
