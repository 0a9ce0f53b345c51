// Exact pre-filters: a rule runs on a text only when the text holds a literal
// that every match of the rule contains (`glpat-` for GitLab tokens). Most
// texts hold none of them. Asking `text.includes()` once per literal read the
// whole text some sixty times; `needlesIn` finds most of them in one pass.
//
// A literal is printable ASCII. `literal()` is case-sensitive; `word()` folds
// ASCII letters only, as a non-unicode /i regular expression does (one never
// folds a character above 127 onto an ASCII one).

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
}

/**
 * When a rule runs: the text holds every needle of at least one group
 * (`[[a], [b, c]]`: a, or both b and c).
 */
export type Gate = readonly (readonly Needle[])[];

export function passes(gate: Gate, present: Present): boolean {
  for (let g = 0; g < gate.length; g++) {
    const group = gate[g]!;
    let all = true;
    for (let k = 0; all && k < group.length; k++) all = present.has(group[k]!);
    if (all) return true;
  }
  return false;
}

/** Every needle present: runs every rule (the reference the tests compare with). */
export const EVERY_NEEDLE: Present = { has: () => true };

// Printable ASCII from rarest to most common in Nix code (counted over the
// upstream trees). Only speed depends on this order.
const RARITY =
  '^~Q%@ZJY?X<K|798q&j\\*V5UW4G6!zH+B>3RML2FN1DC_E#,P0][$IAT()SO`:w/-xv\'}{kybh;"=dfgum.cplroasnite ';

// Two ways to find a needle. One with a rare character (up to `-` in RARITY)
// is found from it: a character class of those characters finds each natively
// and the needles anchored there are compared; one pass finds them all. One
// of common characters only (`dapi`, `secret`) would be compared at a tenth
// of all characters: it is looked for on its own (includes(), or a
// case-insensitive regular expression), and only when a rule asks.
const RARE = RARITY.indexOf('-') + 1;

// RANK[c]: character code c's place in RARITY (lower is rarer).
const RANK = new Uint8Array(128).fill(RARITY.length);
for (let i = 0; i < RARITY.length; i++) RANK[RARITY.charCodeAt(i)] = i;

/** How rare character code `c` of a needle is; a word's letter counts both cases. */
function rank(c: number, folded: boolean): number {
  const letter = (c | 32) >= 97 && (c | 32) <= 122;
  return folded && letter ? Math.max(RANK[c | 32]!, RANK[c & ~32]!) : RANK[c]!;
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

// A short text (an identifier other rules ask about) is searched for each
// needle a rule asks about, directly: cheaper than the one pass.
const SHORT = 256;

class Searched implements Present {
  private lower: string | null = null;
  constructor(private readonly text: string) {}
  has(needle: Needle): boolean {
    const e = entries[needle]!;
    if (!e.folded) return this.text.includes(e.text);
    this.lower ??= this.text.replace(/[A-Z]+/g, (s) => s.toLowerCase());
    return this.lower.includes(e.text);
  }
}

interface Table {
  /** anchor[id]: offset in the needle of the character it is found from, -1 if alone. */
  anchor: Int32Array;
  /**
   * The needles anchored on character c, by the needle's character next to
   * the anchor: after[c * 128 + n] when it is n, before[c * 128 + p] when the
   * anchor ends the needle and p precedes it; single[c] for needles of one
   * character. A hit compares only the needles its neighbours allow.
   */
  after: (Needle[] | undefined)[];
  before: (Needle[] | undefined)[];
  single: (Needle[] | undefined)[];
  /** keys[id]: the anchor character codes of a needle (both cases of a word's letter). */
  keys: number[][];
  /** count[c]: how many needles are anchored on c. */
  count: Uint8Array;
  /** A character class of the anchor characters (g flag). */
  anchors: RegExp;
  /** The needles looked for alone, each with its test. */
  alone: Map<Needle, (text: string) => boolean>;
}
let table: Table | null = null;

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
const hex = (c: number) => `\\x${c.toString(16).padStart(2, '0')}`;

function aloneTest(e: Entry): (text: string) => boolean {
  if (!e.folded) return (text) => text.includes(e.text);
  const re = new RegExp(escape(e.text), 'i');
  return (text) => re.test(text);
}

function build(): Table {
  const anchor = new Int32Array(entries.length).fill(-1);
  const alone = new Map<Needle, (text: string) => boolean>();
  const code = (id: Needle) => entries[id]!.text.charCodeAt(anchor[id]!);
  // Each needle's rarest character first. Then, most common first, a
  // character is dropped when every needle anchored on it has another one in
  // the class: `$6$` moves to the `$` of `$y$` rather than add `6`.
  const chosen = new Uint8Array(128);
  entries.forEach((e, id) => {
    const at = rarest(e);
    if (rank(e.text.charCodeAt(at), e.folded) >= RARE) alone.set(id, aloneTest(e));
    else {
      anchor[id] = at;
      chosen[e.text.charCodeAt(at)] = 1;
    }
  });
  const anchored = entries.flatMap((_, id) => (anchor[id]! >= 0 ? [id] : []));
  const byRarity = [...chosen.keys()].filter((c) => chosen[c] === 1);
  for (const c of byRarity.sort((x, y) => RANK[y]! - RANK[x]!)) {
    const on = anchored.filter((id) => code(id) === c);
    chosen[c] = 0;
    if (on.every((id) => rarest(entries[id]!, chosen) >= 0)) {
      for (const id of on) anchor[id] = rarest(entries[id]!, chosen);
    } else chosen[c] = 1;
  }
  const after: (Needle[] | undefined)[] = [];
  const before: (Needle[] | undefined)[] = [];
  const single: (Needle[] | undefined)[] = [];
  const keys: number[][] = entries.map(() => []);
  const count = new Uint8Array(128);
  const isLetter = (c: number) => (c | 32) >= 97 && (c | 32) <= 122;
  const cases = (c: number, folded: boolean) => (folded && isLetter(c) ? [c, c ^ 32] : [c]);
  const add = (list: (Needle[] | undefined)[], at: number, id: Needle) =>
    (list[at] ??= []).push(id);
  for (const id of anchored) {
    const e = entries[id]!;
    const a = anchor[id]!;
    for (const c of cases(code(id), e.folded)) {
      keys[id]!.push(c);
      count[c]!++;
      if (e.text.length === 1) add(single, c, id);
      else if (a + 1 < e.text.length) {
        for (const n of cases(e.text.charCodeAt(a + 1), e.folded)) add(after, c * 128 + n, id);
      } else {
        for (const p of cases(e.text.charCodeAt(a - 1), e.folded)) add(before, c * 128 + p, id);
      }
    }
  }
  const codes = [...count.keys()].filter((c) => count[c]! > 0);
  return {
    anchor,
    after,
    before,
    single,
    keys,
    count,
    anchors: new RegExp(`[${codes.map(hex).join('')}]`, 'g'),
    alone,
  };
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

// found[needle]: 1 found; 0 absent, or not looked for yet when it is looked for alone.
class Found implements Present {
  private asked: Map<Needle, boolean> | null = null;
  constructor(
    private readonly text: string,
    private readonly found: Uint8Array,
    private readonly alone: Map<Needle, (text: string) => boolean>,
  ) {}
  has(needle: Needle): boolean {
    if (this.found[needle] === 1) return true;
    const test = this.alone.get(needle);
    if (test === undefined) return false;
    this.asked ??= new Map();
    let yes = this.asked.get(needle);
    if (yes === undefined) {
      yes = test(this.text);
      this.asked.set(needle, yes);
    }
    return yes;
  }
}

/** Marks the needles of `ids` (anchored at text[i]) that occur there. */
function mark(
  text: string,
  i: number,
  ids: Needle[] | undefined,
  t: Table,
  found: Uint8Array,
  left: Uint8Array,
): void {
  if (ids === undefined) return;
  for (let k = 0; k < ids.length; k++) {
    const id = ids[k]!;
    if (found[id] === 1 || !occursAt(text, i - t.anchor[id]!, entries[id]!)) continue;
    found[id] = 1;
    for (const c of t.keys[id]!) left[c]!--;
  }
}

/** The registered needles `text` contains. */
export function needlesIn(text: string): Present {
  if (text.length < SHORT) return new Searched(text);
  const t = (table ??= build());
  const found = new Uint8Array(entries.length);
  // left[c]: needles anchored on c not found yet (at 0 the class still stops there).
  const left = t.count.slice();
  const re = t.anchors;
  re.lastIndex = 0;
  while (re.test(text)) {
    const i = re.lastIndex - 1;
    const c = text.charCodeAt(i);
    if (left[c] === 0) continue;
    // Out of the text, charCodeAt is NaN: no list.
    const next = text.charCodeAt(i + 1);
    const prev = text.charCodeAt(i - 1);
    mark(text, i, t.single[c], t, found, left);
    if (next < 128) mark(text, i, t.after[c * 128 + next], t, found, left);
    if (prev < 128) mark(text, i, t.before[c * 128 + prev], t, found, left);
  }
  return new Found(text, found, t.alone);
}
