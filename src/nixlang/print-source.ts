// The trivia-preserving printer: reproduces the source from the tree, copying
// the bytes between nodes (keywords, punctuation, whitespace, comments)
// verbatim, so replacing one node leaves every other byte as it was.
import type { Node, Span, SyntaxTree } from './ast.js';
import { lex } from './lexer.js';
import { children } from './visit.js';

/**
 * Print the tree back to source. `replace` maps nodes to new text; without it
 * the result is the original file, byte for byte.
 */
export function printSource(tree: SyntaxTree, replace?: ReadonlyMap<Node, string>): string {
  const src = tree.source;
  const out: string[] = [src.slice(0, tree.root.start)];
  const emit = (node: Node): void => {
    const r = replace?.get(node);
    if (r !== undefined) return void out.push(r);
    let at = node.start;
    for (const child of children(node)) {
      out.push(src.slice(at, child.start));
      emit(child);
      at = child.end;
    }
    out.push(src.slice(at, node.end));
  };
  emit(tree.root);
  out.push(src.slice(tree.root.end));
  return out.join('');
}

export interface Trivia extends Span {
  kind: 'whitespace' | 'line-comment' | 'block-comment';
}

/** Whitespace and comments of the source, in order (everything between tokens). */
export function trivia(tree: SyntaxTree): Trivia[] {
  const src = tree.source;
  const toks = lex(src, { pipes: true });
  const out: Trivia[] = [];
  let at = 0;
  for (let i = 0; i < toks.count; i++) {
    const s = toks.starts[i]!;
    if (s > at) splitGap(src, at, s, out);
    at = Math.max(at, toks.ends[i]!);
  }
  return out;
}

function splitGap(src: string, from: number, to: number, out: Trivia[]): void {
  let i = from;
  while (i < to) {
    const c = src[i];
    let j = i + 1;
    let kind: Trivia['kind'] = 'whitespace';
    if (c === '#') {
      kind = 'line-comment';
      while (j < to && src[j] !== '\n' && src[j] !== '\r') j++;
    } else if (c === '/' && src[i + 1] === '*') {
      kind = 'block-comment';
      j = Math.min(to, src.indexOf('*/', i + 2) + 2);
    } else {
      while (j < to && ' \t\r\n'.includes(src[j]!)) j++;
    }
    out.push({ kind, start: i, end: j });
    i = j;
  }
}

/**
 * The comments right before a node (only whitespace between them and the
 * node, at most one blank line apart): a binding's documentation, say.
 */
export function leadingComments(
  tree: SyntaxTree,
  node: Span,
  all: Trivia[] = trivia(tree),
): Trivia[] {
  const out: Trivia[] = [];
  let at = node.start;
  for (let i = all.length - 1; i >= 0; i--) {
    const t = all[i]!;
    if (t.end > at) continue;
    if (t.end < at) break;
    if (t.kind === 'whitespace') {
      if ((tree.source.slice(t.start, t.end).match(/\n/g)?.length ?? 0) > 2) break;
    } else out.unshift(t);
    at = t.start;
  }
  return out;
}
