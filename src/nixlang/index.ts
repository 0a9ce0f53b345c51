// Public face of the Nix parser: parse to a syntax tree with diagnostics, and
// print a tree the way `nix-instantiate --parse` does.
import type { Diagnostic, SyntaxTree } from './ast.js';
import type { RawDiagnostic } from './cursor.js';
import { lex } from './lexer.js';
import { Lowerer, NixSymbols } from './lower.js';
import { Parser } from './parser.js';
import { printNix } from './print-nix.js';
import { repairRanges } from './repair.js';
import { checkTree } from './check.js';
import { LineIndex, toByteString } from './source.js';

export type * from './ast.js';
export { LineIndex, decode, toByteString, toBytes } from './source.js';
export { NixSymbols };

export interface ParseOptions {
  /** Accept the `|>` and `<|` pipe operators (newer than Nix 2.8). Default false. */
  pipes?: boolean;
  /**
   * Also report what Nix rejects right after parsing: duplicate attributes and
   * formals, dynamic attributes in let/inherit, undefined variables. Only run
   * when there is no syntax error (Nix stops at the first). Default true.
   */
  check?: boolean;
}

/**
 * Parse Nix source (file bytes, or text). Never throws: problems come back as
 * diagnostics next to a tree that covers the whole input.
 */
export function parseNix(input: string | Uint8Array, options: ParseOptions = {}): SyntaxTree {
  return parseByteString(toByteString(input), options);
}

/**
 * parseNix for source that is a byte string already (one char per byte, as
 * from `buffer.toString('latin1')`): it is read as it is, never re-encoded.
 */
export function parseByteString(source: string, options: ParseOptions = {}): SyntaxTree {
  const raw: RawDiagnostic[] = [];
  let root: SyntaxTree['root'];
  try {
    const toks = lex(source, { pipes: options.pipes === true, scratch: true });
    const parser = new Parser(source, toks);
    root = parser.parseFile();
    raw.push(...toks.errors, ...parser.diagnostics);
    if (raw.length > 0) repairRanges(root);
    if (raw.length === 0 && options.check !== false) {
      checkTree(root, raw);
    }
  } catch (error) {
    // Only a pathological input (e.g. a stack overflow in a deep chain) gets here.
    root = { type: 'Error', start: 0, end: source.length };
    const deep = error instanceof RangeError;
    raw.push({
      message: deep
        ? 'expression is nested too deeply'
        : `cannot parse: ${(error as Error).message}`,
      offset: 0,
    });
  }
  return { source, root, diagnostics: positioned(source, raw) };
}

function positioned(source: string, raw: RawDiagnostic[]): Diagnostic[] {
  if (raw.length === 0) return [];
  const index = new LineIndex(source);
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const d of [...raw].sort((a, b) => a.offset - b.offset)) {
    // One report per place: a missing token often upsets its enclosing rule too.
    const key = String(d.offset);
    if (seen.has(key)) continue;
    seen.add(key);
    const offset = Math.max(0, Math.min(d.offset, source.length));
    out.push({ message: d.message, offset, ...index.position(offset) });
  }
  return out;
}

export interface NixPrintOptions {
  /** Directory that relative paths resolve against (Nix: the file's directory). */
  basePath: string;
  /** Home directory for `~/` paths. */
  home: string;
  /**
   * Names seen so far. Nix orders formals and let bindings by when a name was
   * first seen, across all files one process parses: share one instance to
   * print several files like one `nix-instantiate --parse a b c`.
   */
  symbols?: NixSymbols;
}

/**
 * The tree as `nix-instantiate --parse` prints it (without the final newline),
 * as a byte string. The tree should be free of diagnostics.
 */
export function printNixParse(tree: SyntaxTree, options: NixPrintOptions): string {
  return printNix(new Lowerer(options, options.symbols).lower(tree.root));
}
