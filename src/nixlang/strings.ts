// Lowering of strings and paths to Nix's AST: indentation stripping of
// ''indented strings'' (Nix's stripIndentation, literal by literal, where
// escapes and interpolations end a line's leading whitespace) and path
// resolution against the file's directory (absPath/canonPath).
import type { Expr, IndStr, Path } from './ast.js';
import type { NExpr } from './nix-ast.js';

type Lower = (e: Expr) => NExpr;

export function lowerIndString(node: IndStr, lower: Lower): NExpr {
  const parts = node.parts;
  if (parts.length === 0) return { k: 'string', s: '' };

  // Pass 1: the smallest indentation of any line that has content.
  let atStart = true;
  let cur = 0;
  let min = 1000000;
  for (const p of parts) {
    if (p.type !== 'IndentedLiteral' || p.escape) {
      if (atStart) {
        atStart = false;
        if (cur < min) min = cur;
      }
      continue;
    }
    const s = p.value;
    for (let j = 0; j < s.length; j++) {
      const c = s.charCodeAt(j);
      if (atStart) {
        if (c === 32) cur++;
        else if (c === 10) cur = 0;
        else {
          atStart = false;
          if (cur < min) min = cur;
        }
      } else if (c === 10) {
        atStart = true;
        cur = 0;
      }
    }
  }

  // Pass 2: drop that many spaces at the start of each line.
  const out: NExpr[] = [];
  atStart = true;
  let dropped = 0;
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (p.type === 'Interpolation') {
      atStart = false;
      dropped = 0;
      out.push(lower(p.expr));
      continue;
    }
    const s = p.value;
    let s2 = '';
    for (let j = 0; j < s.length; j++) {
      const ch = s[j]!;
      if (atStart) {
        if (ch === ' ') {
          if (dropped++ >= min) s2 += ch;
        } else if (ch === '\n') {
          dropped = 0;
          s2 += ch;
        } else {
          atStart = false;
          dropped = 0;
          s2 += ch;
        }
      } else {
        s2 += ch;
        if (ch === '\n') atStart = true;
      }
    }
    // The last line goes if it is only spaces.
    if (i === parts.length - 1) {
      const nl = s2.lastIndexOf('\n');
      if (nl >= 0 && /^ *$/.test(s2.slice(nl + 1))) s2 = s2.slice(0, nl + 1);
    }
    out.push({ k: 'string', s: s2 });
  }
  if (out.length === 1 && out[0]!.k === 'string') return out[0]!;
  return { k: 'concat', parts: out };
}

export interface PathContext {
  /** Directory relative paths resolve against (Nix: the file's directory). */
  basePath: string;
  /** Home directory for ~/ paths. */
  home: string;
}

export function lowerPath(node: Path, ctx: PathContext, lower: Lower): NExpr {
  const first = node.parts[0]!;
  const text = first.type === 'PathLiteral' ? first.value : '';
  let s: string;
  if (node.home) s = ctx.home + text.slice(1);
  else {
    s = absPath(text, ctx.basePath);
    if (text.endsWith('/') && text.length > 1) s += '/';
  }
  const head: NExpr = { k: 'path', s };
  if (node.parts.length === 1) return head;
  const parts: NExpr[] = [head];
  for (let i = 1; i < node.parts.length; i++) {
    const p = node.parts[i]!;
    parts.push(p.type === 'PathLiteral' ? { k: 'string', s: p.value } : lower(p.expr));
  }
  return { k: 'concat', parts };
}

export function absPath(path: string, base: string): string {
  if (path.startsWith('/')) return canonPath(path);
  // Common case `./a/b.nix` under a canonical base: no segment needs resolving.
  const rest = path.startsWith('./') ? path.slice(2) : path;
  if (
    rest !== '' &&
    rest !== '.' &&
    !/(^|\/)\.\.?(\/|$)|\/\/|\/$/.test(rest) &&
    canonPath(base) === base
  ) {
    return base === '/' ? `/${rest}` : `${base}/${rest}`;
  }
  return canonPath(`${base}/${path}`);
}

/** Remove `.`, `..` and repeated slashes, like Nix's canonPath (no symlinks). */
export function canonPath(path: string): string {
  // Most paths are canonical already.
  if (!/\/\.|\/\/|\/$/.test(path)) return path;
  const out: string[] = [];
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return `/${out.join('/')}`;
}
