// Exact pre-filters: a rule runs on a text only when the text holds a literal
// that every match of the rule contains (`glpat-` for GitLab tokens). Most
// texts hold none of them. Asking `text.includes()` once per literal read the
// whole text some sixty times; `needlesIn` finds most of them in one pass.
//
// A literal is printable ASCII. `literal()` is case-sensitive; `word()` folds
// ASCII letters only, as a non-unicode /i regular expression does (one never
// folds a character above 127 onto an ASCII one).

import { RARITY, rarityRank } from '../char-rarity.js';

/** A registered literal. */
export type Needle = number;

interface Entry {
  /** The literal; lower case for a word. */
  text: string;
  folded: boolean;
}

const entries: Entry[] = [];
const byKey = new Map<string, Needle>();

function register(text: string, folded: boolean): Needle {
  if (!/^[\x20-\x7e]+$/.test(text)) throw new Error(`a needle is printable ASCII: ${text}`);
  const key = `${folded ? 'i' : 's'}${text}`;
  let id = byKey.get(key);
  if (id === undefined) {
    id = entries.push({ text, folded }) - 1;
    byKey.set(key, id);
    table = null;
  }
  return id;
}

/** A case-sensitive literal. */
export function literal(text: string): Needle {
  return register(text, false);
}

/** A literal matched with ASCII letters in either case. */
export function word(text: string): Needle {
  return register(text.toLowerCase(), true);
}

/** Every registered needle, by id (for tests). */
export function registeredNeedles(): readonly { text: string; folded: boolean }[] {
  return entries;
}

/** Which needles a text holds. */
export interface Present {
  has(needle: Needle): boolean;
  /**
   * The needles the one pass found (all but those looked for alone), as a
   * key: their ids in order, `''` for none (most texts); null when any
   * needle may be present.
   */
  readonly anchored: string | null;
}

/**
 * When a rule runs: the text holds every needle of at least one group
 * (`[[a], [b, c]]`: a, or both b and c).
 */
export type Gate = readonly (readonly Needle[])[];

/**
 * A gate as `passes` reads it: each group as its length, then its needles.
 * One typed array per gate, whatever the gate's shape, keeps `passes` (asked
 * some 80,000 times in a large analysis) on one map: nested arrays came in
 * several element kinds, and each new one threw its optimized code away.
 */
export type Packed = Int32Array;

export function packed(gate: Gate): Packed {
  return Int32Array.from(gate.flatMap((group) => [group.length, ...group]));
}

export function passes(gate: Packed, present: Present): boolean {
  for (let g = 0; g < gate.length; g += gate[g]! + 1) {
    const end = g + gate[g]!;
    let all = true;
    for (let k = g + 1; all && k <= end; k++) all = present.has(gate[k]!);
    if (all) return true;
  }
  return false;
}

/** Every needle present: runs every rule (the reference the tests compare with). */
export const EVERY_NEEDLE: Present = { has: () => true, anchored: null };

/** A list of gated items, with the part of it each set of found needles may let through. */
export interface Gated<T> {
  items: readonly T[];
  gate: (item: T) => Packed;
  /** By Present.anchored. */
  some: Map<string, T[]>;
}

export function gated<T>(items: readonly T[], gate: (item: T) => Packed): Gated<T> {
  return { items, gate, some: new Map() };
}

/**
 * The items whose gate may pass on `present`'s text, in order: a group of
 * needles each found in the one pass or looked for alone (which `passes`
 * then asks). On ../shared/upstream a text holds one of a dozen such sets
 * of needles, most often none: each set's list is made once, and the rules
 * check a few gates per text instead of fifty.
 */
export function candidates<T>(list: Gated<T>, present: Present): readonly T[] {
  const key = present.anchored;
  if (key === null) return list.items;
  let some = list.some.get(key);
  if (some === undefined) {
    const t = (table ??= build());
    const found = new Set(key === '' ? [] : key.split(',').map(Number));
    const mayHold = (n: number) => t.anchor[n]! < 0 || found.has(n);
    some = list.items.filter((item) => {
      const g = list.gate(item);
      for (let i = 0; i < g.length; i += g[i]! + 1) {
        if (Array.from(g.subarray(i + 1, i + 1 + g[i]!)).every(mayHold)) return true;
      }
      return false;
    });
    // A list stays right when a needle is registered later (the table is
    // then built again): whether a needle is looked for alone depends on its
    // own characters only (rarest), not on the others.
    // Texts of made-up needle mixes could make many keys: start over then.
    if (list.some.size >= 1000) list.some.clear();
    list.some.set(key, some);
  }
  return some;
}

// Two ways to find a needle. One with a rare character (up to `-` in RARITY)
// is found from it (RARITY: src/char-rarity.ts): one regular expression skips to those characters and
// checks there the needles anchored on them; one pass finds them all. One
// of common characters only (`dapi`, `secret`) would be compared at a tenth
// of all characters: it is looked for on its own (includes(), or a
// case-insensitive regular expression), and only when a rule asks.
const RARE = RARITY.indexOf('-') + 1;

/** How rare character code `c` of a needle is (lower is rarer); a word's letter counts both cases. */
function rank(c: number, folded: boolean): number {
  const letter = (c | 32) >= 97 && (c | 32) <= 122;
  return folded && letter ? Math.max(rarityRank(c | 32), rarityRank(c & ~32)) : rarityRank(c);
}

/** The offset of the needle's rarest character among `allowed` (any when absent), or -1. */
function rarest(e: Entry, allowed?: Uint8Array): number {
  let best = -1;
  let bestRank = 0;
  for (let i = 0; i < e.text.length; i++) {
    const c = e.text.charCodeAt(i);
    if (allowed && allowed[c] === 0) continue;
    const r = rank(c, e.folded);
    if (best < 0 || r < bestRank) [best, bestRank] = [i, r];
  }
  return best;
}

interface Table {
  /** anchor[id]: offset in the needle of the character it is found from, -1 if alone. */
  anchor: Int32Array;
  /** on[c]: the needles anchored on character code c (both cases of a word's letter). */
  on: (Needle[] | undefined)[];
  /**
   * Stops (g flag) right after an anchor character at which one of its
   * needles occurs: each needle is its anchor followed by look-arounds for
   * the rest of it. The anchors alone (a character class) stopped some
   * twenty times as often, at every `-`, `:`, `$`, `_` or `w`, and each stop
   * was a turn of a hot JavaScript loop; here irregexp skips to the anchors
   * and checks the needles there itself.
   */
  probes: RegExp;
  /** alone[id]: the test of a needle looked for alone. */
  alone: ((text: string) => boolean)[];
}
let table: Table | null = null;

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
const hex = (c: number) => `\\x${c.toString(16).padStart(2, '0')}`;
const isLetter = (c: number) => (c | 32) >= 97 && (c | 32) <= 122;
const cases = (c: number, folded: boolean) => (folded && isLetter(c) ? [c, c ^ 32] : [c]);

/** A regular expression source matching `text` exactly (a word's letters in either case). */
function exactly(text: string, folded: boolean): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = cases(text.charCodeAt(i), folded);
    out += c.length === 1 ? hex(c[0]!) : `[${c.map(hex).join('')}]`;
  }
  return out;
}

function aloneTest(e: Entry): (text: string) => boolean {
  if (!e.folded) return (text) => text.includes(e.text);
  const re = new RegExp(escape(e.text), 'i');
  return (text) => re.test(text);
}

/** Each needle's anchor: its rarest character, moved to another when that drops a character. */
function anchors(alone: ((text: string) => boolean)[]): Int32Array {
  const anchor = new Int32Array(entries.length).fill(-1);
  const code = (id: Needle) => entries[id]!.text.charCodeAt(anchor[id]!);
  // Each needle's rarest character first. Then, most common first, a
  // character is dropped when every needle anchored on it has another one in
  // the class: `$6$` moves to the `$` of `$y$` rather than add `6`.
  const chosen = new Uint8Array(128);
  entries.forEach((e, id) => {
    const at = rarest(e);
    if (rank(e.text.charCodeAt(at), e.folded) >= RARE) alone[id] = aloneTest(e);
    else {
      anchor[id] = at;
      chosen[e.text.charCodeAt(at)] = 1;
    }
  });
  const anchored = entries.flatMap((_, id) => (anchor[id]! >= 0 ? [id] : []));
  const byRarity = [...chosen.keys()].filter((c) => chosen[c] === 1);
  for (const c of byRarity.sort((x, y) => rarityRank(y) - rarityRank(x))) {
    const on = anchored.filter((id) => code(id) === c);
    chosen[c] = 0;
    if (on.every((id) => rarest(entries[id]!, chosen) >= 0)) {
      for (const id of on) anchor[id] = rarest(entries[id]!, chosen);
    } else chosen[c] = 1;
  }
  return anchor;
}

/** The needle anchored at `a`, once its anchor character `c` is matched: the rest, as look-arounds. */
function probe(e: Entry, a: number, c: number): string {
  const before = a > 0 ? `(?<=${exactly(e.text.slice(0, a), e.folded)}${hex(c)})` : '';
  const after = a + 1 < e.text.length ? `(?=${exactly(e.text.slice(a + 1), e.folded)})` : '';
  return before + after;
}

function build(): Table {
  const alone: ((text: string) => boolean)[] = [];
  const anchor = anchors(alone);
  const on: (Needle[] | undefined)[] = [];
  const rest = new Map<number, string[]>();
  entries.forEach((e, id) => {
    const a = anchor[id]!;
    if (a < 0) return;
    for (const c of cases(e.text.charCodeAt(a), e.folded)) {
      (on[c] ??= []).push(id);
      const list = rest.get(c) ?? [];
      rest.set(c, [...list, probe(e, a, c)]);
    }
  });
  // A needle of its anchor alone (`@`) matches wherever the character is.
  const alternatives = [...rest].map(([c, probes]) =>
    probes.includes('') ? hex(c) : `${hex(c)}(?:${probes.join('|')})`,
  );
  return { anchor, on, probes: new RegExp(alternatives.join('|'), 'g'), alone };
}

function occursAt(text: string, at: number, e: Entry): boolean {
  if (at < 0) return false;
  if (!e.folded) return text.startsWith(e.text, at);
  const lower = e.text;
  if (at + lower.length > text.length) return false;
  for (let k = 0; k < lower.length; k++) {
    let c = text.charCodeAt(at + k);
    if (c >= 65 && c <= 90) c |= 32;
    if (c !== lower.charCodeAt(k)) return false;
  }
  return true;
}

// found[needle]: 1 found; 2 absent (a needle looked for alone, once asked);
// 0 absent, or not asked yet for a needle looked for alone.
class Found implements Present {
  constructor(
    private readonly text: string,
    private readonly found: Uint8Array,
    private readonly alone: ((text: string) => boolean)[],
    readonly anchored: string,
  ) {}
  has(needle: Needle): boolean {
    const known = this.found[needle];
    if (known !== 0) return known === 1;
    const test = this.alone[needle];
    if (test === undefined) return false;
    const yes = test(this.text);
    this.found[needle] = yes ? 1 : 2;
    return yes;
  }
}

/** The registered needles `text` contains. */
export function needlesIn(text: string): Present {
  // Short texts too (the identifiers other rules ask about): one kind of
  // Present keeps the rules' gate checks monomorphic.
  const t = (table ??= build());
  const found = new Uint8Array(entries.length);
  const re = t.probes;
  re.lastIndex = 0;
  // Each stop is one of the needles on the anchor just matched: which ones, is checked here.
  let seen: Needle[] | null = null;
  while (re.test(text)) {
    const i = re.lastIndex - 1;
    const ids = t.on[text.charCodeAt(i)]!;
    for (let k = 0; k < ids.length; k++) {
      const id = ids[k]!;
      if (found[id] === 0 && occursAt(text, i - t.anchor[id]!, entries[id]!)) {
        found[id] = 1;
        (seen ??= []).push(id);
      }
    }
  }
  // The same set of needles, in whatever order found, gives the same key.
  const key = seen === null ? '' : seen.sort((a, b) => a - b).join(',');
  return new Found(text, found, t.alone, key);
}
