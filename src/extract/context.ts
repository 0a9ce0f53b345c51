// What every classifier rule sees about one file: the parsed tree, the
// bindings and strings already collected (each computed once), positions, and
// what the whole-repo pass learned (identifiers, exports).
import { decode, type BindingLike, type Expr, type SyntaxTree } from '../nixlang/index.js';
import {
  boundAttrPaths,
  stringLiterals,
  type BoundPath,
  type StringLiteralInfo,
} from '../nixlang/visit.js';
import type { Evidence, FlakeExport, Identifiers, ParsedFile, Signal } from './model.js';

export class Positions {
  private readonly starts: number[] = [0];
  constructor(source: string) {
    for (let i = source.indexOf('\n'); i >= 0; i = source.indexOf('\n', i + 1))
      this.starts.push(i + 1);
  }
  at(offset: number): { line: number; column: number } {
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

/** How many leading segments are a wrapper around module content, not option names. */
function wrapperLength(path: (string | null)[]): number {
  const [a, b] = path;
  if (path.length > 1 && a === 'config') return 1;
  if (a === 'flake' && b === 'modules' && path.length > 4) return 4;
  if (a === 'flake' && b && MODULE_SETS.has(b) && path.length > 3) return 3;
  if (a && MODULE_SETS.has(a) && path.length > 2) return 2;
  if (a === 'home-manager' && b === 'users' && path.length > 3) return 3;
  if (a === 'specialisation' && path[2] === 'configuration' && path.length > 3) return 3;
  return 0;
}

export function optionBinding(b: BoundPath): OptionBinding {
  let path = b.path;
  let own = b.path.length - (b.binding.type === 'Binding' ? b.binding.path.length : 1);
  for (let k = wrapperLength(path); k > 0; k = wrapperLength(path)) {
    path = path.slice(k);
    own -= k;
  }
  return { path, own, binding: b.binding, value: b.value };
}

export class FileContext {
  readonly positions: Positions;
  private boundCache: BoundPath[] | null = null;
  private stringCache: StringLiteralInfo[] | null = null;
  private stringIndex: Map<number, StringLiteralInfo> | null = null;

  constructor(
    readonly file: ParsedFile,
    readonly repo: RepoFacts,
  ) {
    this.positions = new Positions(file.tree.source);
  }

  get tree(): SyntaxTree {
    return this.file.tree;
  }

  get bound(): BoundPath[] {
    return (this.boundCache ??= boundAttrPaths(this.file.tree));
  }

  get options(): OptionBinding[] {
    return this.memo('options', () => this.bound.map(optionBinding));
  }

  get strings(): StringLiteralInfo[] {
    return (this.stringCache ??= stringLiterals(this.file.tree));
  }

  private readonly memos = new Map<string, unknown>();

  /** Computes a per-file value once, for rules that share it. */
  memo<T>(key: string, compute: () => T): T {
    if (!this.memos.has(key)) this.memos.set(key, compute());
    return this.memos.get(key) as T;
  }

  /** The innermost binding whose value contains `offset` (for option names). */
  bindingAt(offset: number): BoundPath | null {
    let best: BoundPath | null = null;
    for (const b of this.bound) {
      const v = b.value;
      if (!v || offset < v.start || offset >= v.end) continue;
      if (!best || v.end - v.start <= best.value!.end - best.value!.start) best = b;
    }
    return best;
  }

  /** The string literal starting at `start`, if any. */
  stringAt(start: number): StringLiteralInfo | undefined {
    this.stringIndex ??= new Map(this.strings.map((s) => [s.start, s]));
    return this.stringIndex.get(start);
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

function clip(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > 120 ? `${one.slice(0, 117)}...` : one;
}
