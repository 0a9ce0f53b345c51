// Checking one named file, the unit of work `crossflake parse` hands to the
// main thread or a worker: read it, parse it, keep only the problem lines, so
// the tree can be collected at once.
import { parseByteString, type SyntaxTree } from '../nixlang/index.js';
import { decode } from '../nixlang/source.js';
import { FileReader } from './file-reader.js';

export type CheckOutcome =
  { ok: true; problems: string; count: number; bytes: number } | { ok: false; code: string };

/** A tree's diagnostics as the command prints them, one `file:line:column: error: ...` line each. */
export function problemLines(file: string, tree: SyntaxTree): string {
  let out = '';
  for (const d of tree.diagnostics)
    out += `${file}:${d.line}:${d.column}: error: ${decode(d.message)}\n`;
  return out;
}

// One reader per thread (the main thread's, or a worker's own module).
let reader: FileReader | null = null;

/**
 * Reads and checks one file. The read is synchronous on purpose: the page
 * cache answers at once, and the thread pool's four threads would compete
 * with the parsers for two cores (parallelism comes from workers instead).
 */
export function checkFile(name: string, path: string, pipes: boolean): CheckOutcome {
  let source: string;
  try {
    source = (reader ??= new FileReader()).readByteString(path);
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    return { ok: false, code: e.code ?? e.message };
  }
  const tree = parseByteString(source, { pipes });
  return {
    ok: true,
    problems: problemLines(name, tree),
    count: tree.diagnostics.length,
    bytes: source.length,
  };
}

/** The one-line error for a file that cannot be read. */
export function unreadableMessage(file: string, code: string): string {
  return code === 'EISDIR'
    ? `${file} is a directory; name a .nix file`
    : `cannot read ${file} (${code})`;
}
