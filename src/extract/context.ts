// What every classifier rule sees about one file: the parsed tree, the
// bindings and strings already collected (each computed once), positions, and
// what the whole-repo pass learned (identifiers, exports).
import {
  decode,
  type BindingLike,
  type Expr,
  type IndStr,
  type Str,
  type SyntaxTree,
} from '../nixlang/index.js';
import { lowerIndString } from '../nixlang/strings.js';
import type { BoundPath, StringLiteralInfo } from '../nixlang/visit.js';
import type { Evidence, FlakeExport, Identifiers, ParsedFile, Signal } from './model.js';
import { indexTree, type TreeIndex } from './tree-index.js';

export class Positions {
  private readonly starts: number[] = [0];
  // Every newline before this offset is in `starts`. Lines are found as far as
  // an evidence asks, not to the end of the file: evidence sits early in most
  // files that have any.
  private scanned = 0;

  constructor(private readonly source: string) {}

  private extend(offset: number): void {
    const source = this.source;
    let i = source.indexOf('\n', this.scanned);
    for (; i >= 0 && i < offset; i = source.indexOf('\n', i + 1)) this.starts.push(i + 1);
    this.scanned = i < 0 ? source.length : i;
  }

  at(offset: number): { line: number; column: number } {
    if (offset > this.scanned) this.extend(offset);
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo]! + 1 };
  }
}

export interface RepoFacts {
  identifiers: Identifiers;
  /** Files exported under a module output (nixosModules ...) or imported as modules. */
  moduleTargets: Set<string>;
  exports: FlakeExport[];
}

/** A binding with its option path: the bound path minus wrappers such as `config.` or `flake.modules.nixos.<name>.` */
export interface OptionBinding {
  path: (string | null)[];
  /** How many leading segments of `path` come from enclosing sets, not from the binding itself (may be negative). */
  own: number;
  binding: BindingLike;
  value: Expr | null;
}

const MODULE_SETS = new Set([
  'nixosModules',
  'homeModules',
  'darwinModules',
  'homeManagerModules',
  'flakeModules',
]);

/**
 * How many segments from `at` on are a wrapper around module content, not
 * option names. (Each segment is read only where the path has it, and
 * compared only once known to be a string: optimised code that meets an
 * index past the end, or a null where it expected a string, starts over.)
 */
function wrapperLength(path: (string | null)[], at: number): number {
  const length = path.length - at;
  if (length < 2) return 0;
  const a = path[at];
  if (typeof a !== 'string') return 0;
  if (a === 'config') return 1;
  if (length < 3) return 0;
  if (MODULE_SETS.has(a)) return 2;
  if (length < 4) return 0;
  if (a === 'specialisation') return isString(path[at + 2], 'configuration') ? 3 : 0;
  const b = path[at + 1];
  if (typeof b !== 'string') return 0;
  if (a === 'flake') return b === 'modules' ? (length > 4 ? 4 : 0) : MODULE_SETS.has(b) ? 3 : 0;
  return a === 'home-manager' && b === 'users' ? 3 : 0;
}

function isString(segment: string | null | undefined, text: string): boolean {
  return typeof segment === 'string' && segment === text;
}

/**
 * Where the option path of a bound path starts: its first segment after the
 * wrappers. A rule that wants a few option names asks this of every binding,
 * and makes the OptionBinding of those it wants only.
 */
export function optionStart(path: (string | null)[]): number {
  let at = 0;
  for (let k = wrapperLength(path, 0); k > 0; k = wrapperLength(path, at)) at += k;
  return at;
}

export function optionBinding(b: BoundPath): OptionBinding {
  const at = optionStart(b.path);
  const own = b.path.length - (b.binding.type === 'Binding' ? b.binding.path.length : 1);
  return {
    path: at === 0 ? b.path : b.path.slice(at),
    own: own - at,
    binding: b.binding,
    value: b.value,
  };
}

export class FileContext {
  private positionsCache: Positions | null = null;
  private stringIndex: Map<number, Str | IndStr> | null = null;
  /** The bound names as an array, for hasName. */
  private nameList: string[] | null = null;
  private readonly stringInfo = new Map<Str | IndStr, StringLiteralInfo>();

  /**
   * What one walk of the tree collects, for every query below. Made at once:
   * every context is asked for it, and behind a lazy getter the optimising
   * compiler took the whole walk into each hot function that reads a query
   * (a compile job of ~15 ms each for `names`, `index`, mayBindAny ...).
   */
  readonly index: TreeIndex;

  constructor(
    readonly file: ParsedFile,
    readonly repo: RepoFacts,
  ) {
    this.index = indexTree(file.tree.root);
  }

  /** Line starts, found when a position is first asked for: most files report none. */
  get positions(): Positions {
    return (this.positionsCache ??= new Positions(this.file.tree.source));
  }

  get tree(): SyntaxTree {
    return this.file.tree;
  }

  get bound(): BoundPath[] {
    return this.index.bound;
  }

  /** Every name in the bound paths, each once (see TreeIndex.names). */
  get names(): ReadonlySet<string> {
    return this.index.names;
  }

  /** Whether every name of `path` is bound somewhere in the file: a binding at `path` may exist. */
  mayBind(path: readonly string[]): boolean {
    const names = this.index.names;
    for (let i = 0; i < path.length; i++) if (!names.has(path[i]!)) return false;
    return true;
  }

  /** Whether a binding at one of `paths` may exist (see mayBind). */
  mayBindAny(paths: readonly (readonly string[])[]): boolean {
    // Plain loops: asked of every file, mostly before the code is optimised.
    for (let i = 0; i < paths.length; i++) if (this.mayBind(paths[i]!)) return true;
    return false;
  }

  /** Whether a bound path has a name that passes `test`, asked once per distinct name. */
  hasName(test: (name: string) => boolean): boolean {
    // The names as an array, made once (a copy the engine makes without an
    // iterator): a loop over the set made an iterator result for every name.
    const names = (this.nameList ??= [...this.index.names]);
    for (let i = 0; i < names.length; i++) if (test(names[i]!)) return true;
    return false;
  }

  get options(): OptionBinding[] {
    return this.memo('options', () => this.bound.map(optionBinding));
  }

  /** Every string, with its value when it is constant (as nixlang's stringLiterals). */
  get strings(): StringLiteralInfo[] {
    return this.index.strings.map((n) => this.stringInfoOf(n));
  }

  // Values are worked out only for the strings someone asks about: most
  // strings of a repo are never read as a value.
  private stringInfoOf(n: Str | IndStr): StringLiteralInfo {
    let info = this.stringInfo.get(n);
    if (!info) {
      info = { node: n, start: n.start, end: n.end, value: stringValue(n) };
      this.stringInfo.set(n, info);
    }
    return info;
  }

  private readonly memos = new Map<string, unknown>();

  /** Computes a per-file value once, for rules that share it. */
  memo<T>(key: string, compute: (ctx: FileContext) => T): T {
    // (`compute` may be a function of the module that asks, given the
    // context: no closure made for each ask of a value most often made already.)
    const known = this.memos.get(key);
    if (known !== undefined || this.memos.has(key)) return known as T;
    const value = compute(this);
    this.memos.set(key, value);
    return value;
  }

  /** The innermost binding whose value contains `offset` (for option names). */
  bindingAt(offset: number): BoundPath | null {
    return this.innermost(offset, true);
  }

  /** The innermost binding whose name or value contains `offset` (an attribute name counts). */
  settingAt(offset: number): BoundPath | null {
    return this.innermost(offset, false);
  }

  /**
   * The bound path whose span (of the value, or of the whole binding) is the
   * smallest that contains `offset`; of equal ones the last. The bound paths
   * come in the order of a walk of the tree, so spans start in order and
   * nest: the innermost is the last to start at or before `offset` of those
   * that contain it, found by a binary search and a few steps back rather
   * than a look at every binding of the file for each evidence.
   */
  private innermost(offset: number, ofValue: boolean): BoundPath | null {
    const bound = this.bound;
    if (!this.ordered(ofValue)) return smallestAround(bound, offset, ofValue);
    let lo = 0;
    let hi = bound.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const start = spanOf(bound[mid]!, ofValue)?.start ?? -1;
      if (start <= offset) lo = mid + 1;
      else hi = mid - 1;
    }
    for (let i = lo - 1; i >= 0; i--) {
      const span = spanOf(bound[i]!, ofValue);
      if (span && offset >= span.start && offset < span.end) return bound[i]!;
    }
    return null;
  }

  // Whether the spans start in order, checked once per file: a walk gives
  // them so, and if some future one did not, the plain search still answers.
  private orderedSpans: [boolean | undefined, boolean | undefined] = [undefined, undefined];

  private ordered(ofValue: boolean): boolean {
    const k = ofValue ? 0 : 1;
    return (this.orderedSpans[k] ??= spansInOrder(this.bound, ofValue));
  }

  /** The string literal starting at `start`, if any. */
  stringAt(start: number): StringLiteralInfo | undefined {
    this.stringIndex ??= new Map(this.index.strings.map((s) => [s.start, s]));
    const node = this.stringIndex.get(start);
    return node ? this.stringInfoOf(node) : undefined;
  }

  /** The decoded source text of a node. */
  text(node: { start: number; end: number }): string {
    return decode(this.file.tree.source.slice(node.start, node.end));
  }

  evidence(
    rule: string,
    signal: Signal,
    start: number,
    end: number,
    text: string,
    extra: Partial<Evidence> = {},
  ): Evidence {
    const { line, column } = this.positions.at(start);
    return { rule, signal, line, column, text: clip(text), start, end, ...extra };
  }
}

/** The span of a binding's value (null for `inherit`), or of the whole binding. */
function spanOf(b: BoundPath, ofValue: boolean): { start: number; end: number } | null {
  return ofValue ? b.value : b.binding;
}

function spansInOrder(bound: BoundPath[], ofValue: boolean): boolean {
  let last = -1;
  for (let i = 0; i < bound.length; i++) {
    const span = spanOf(bound[i]!, ofValue);
    if (!span) continue;
    if (span.start < last) return false;
    last = span.start;
  }
  return true;
}

/** The smallest span that contains `offset`, of equal ones the last, by a look at each. */
function smallestAround(bound: BoundPath[], offset: number, ofValue: boolean): BoundPath | null {
  let best: BoundPath | null = null;
  let size = Infinity;
  for (let i = 0; i < bound.length; i++) {
    const span = spanOf(bound[i]!, ofValue);
    if (!span || offset < span.start || offset >= span.end) continue;
    if (span.end - span.start <= size) {
      best = bound[i]!;
      size = span.end - span.start;
    }
  }
  return best;
}

function stringValue(n: Str | IndStr): string | null {
  if (n.type === 'String') {
    if (!n.parts.every((p) => p.type === 'StringLiteral')) return null;
    return decode(n.parts.map((p) => (p.type === 'StringLiteral' ? p.value : '')).join(''));
  }
  if (!n.parts.every((p) => p.type !== 'Interpolation')) return null;
  // Nix's own indentation stripping, so the value is what evaluation sees.
  const lowered = lowerIndString(n, () => ({ k: 'error' }));
  return lowered.k === 'string' ? decode(lowered.s) : null;
}

/** Dotted form of a bound path; dynamic names print as `<dynamic>`. */
export function dotted(path: (string | null)[]): string {
  return path
    .map((p) => (p === null ? '<dynamic>' : /^[A-Za-z_][\w'-]*$/.test(p) ? p : JSON.stringify(p)))
    .join('.');
}

/** The constant string value of an expression, or null. */
export function constString(ctx: FileContext, e: Expr | null): string | null {
  if (!e) return null;
  while (e.type === 'Paren') e = e.expr;
  if (e.type !== 'String' && e.type !== 'IndentedString') return null;
  return ctx.stringAt(e.start)?.value ?? null;
}

/** Evidence text on one line, at most 120 characters. */
export function clip(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > 120 ? `${one.slice(0, 117)}...` : one;
}
