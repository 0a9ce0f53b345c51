// Resolving Nix path literals against the repository's file list, the way
// Nix would: relative to the file's directory, a directory meaning its
// default.nix. Pure: the file list stands in for the file system.
import { posix } from 'node:path';
import { decode, type Expr, type Path } from '../nixlang/index.js';

export interface RepoFiles {
  files: Set<string>;
  /** Every directory that holds a .nix file at any depth, '' for the root. */
  dirs: Set<string>;
}

export function repoFiles(paths: string[]): RepoFiles {
  const dirs = new Set<string>(['']);
  for (const p of paths) {
    let d = posix.dirname(p);
    while (d !== '.' && !dirs.has(d)) {
      dirs.add(d);
      d = posix.dirname(d);
    }
  }
  return { files: new Set(paths), dirs };
}

/** The literal text of a path without interpolation, or null. */
export function pathText(node: Path): string | null {
  if (node.home || !node.parts.every((p) => p.type === 'PathLiteral')) return null;
  return decode(node.parts.map((p) => (p.type === 'PathLiteral' ? p.value : '')).join(''));
}

/** Repo-relative target of a relative path written in `fromFile`, or null when outside. */
export function resolveRelative(fromFile: string, text: string): string | null {
  if (text.startsWith('/')) return null;
  const joined = posix.normalize(posix.join(posix.dirname(fromFile), text));
  if (joined === '..' || joined.startsWith('../')) return null;
  return joined === '.' ? '' : joined;
}

export type Resolved = { kind: 'file'; path: string } | { kind: 'dir'; path: string } | null;

/** A path expression as a repo file (x.nix or x/default.nix) or directory. */
export function resolvePath(fromFile: string, node: Expr, repo: RepoFiles): Resolved {
  while (node.type === 'Paren') node = node.expr;
  if (node.type !== 'Path') return null;
  const text = pathText(node);
  if (text === null) return null;
  const target = resolveRelative(fromFile, text);
  if (target === null) return null;
  if (repo.files.has(target)) return { kind: 'file', path: target };
  const dflt = target ? `${target}/default.nix` : 'default.nix';
  if (repo.files.has(dflt)) return { kind: 'file', path: dflt };
  if (repo.dirs.has(target)) return { kind: 'dir', path: target };
  return null;
}

/** Files an import-tree style auto-import of `dir` loads (paths with a `_` segment are ignored). */
export function autoImported(dir: string, repo: RepoFiles): string[] {
  const prefix = dir ? `${dir}/` : '';
  return [...repo.files]
    .filter(
      (f) =>
        f.startsWith(prefix) &&
        !f
          .slice(prefix.length)
          .split('/')
          .some((s) => s.startsWith('_')),
    )
    .sort();
}
