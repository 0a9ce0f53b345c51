// The import graph: which file loads which, and how it was written
// (`imports = [...]`, `import ./x.nix`, `callPackage ./x`, the module list of a
// nixosSystem/darwinSystem/homeManagerConfiguration call, or an auto-import of
// a whole directory by import-tree or listFilesRecursive).
import { decode, type Expr, type Node } from '../nixlang/index.js';
import { attrNameText, children } from '../nixlang/visit.js';
import type { Positions } from './context.js';
import type { ImportEdge, ParsedFile } from './model.js';
import { autoImported, resolvePath, type RepoFiles } from './paths.js';

const SYSTEM_BUILDERS = new Set([
  'nixosSystem',
  'darwinSystem',
  'homeManagerConfiguration',
  'mkFlake',
]);
const AUTO_IMPORTERS = new Set(['import-tree', 'listFilesRecursive', 'rakeLeaves', 'importTree']);

export interface FileGraph {
  edges: ImportEdge[];
  autoImports: { file: string; dir: string; via: string }[];
}

/** Name at the end of a function expression: `a.b.nixosSystem` gives nixosSystem. */
function calleeName(fn: Expr): string | null {
  while (fn.type === 'Paren') fn = fn.expr;
  if (fn.type === 'Var') return fn.name;
  if (fn.type === 'Select') {
    const last = fn.path[fn.path.length - 1];
    return last ? attrNameText(last) : null;
  }
  if (fn.type === 'App') return calleeName(fn.fn);
  return null;
}

export function fileEdges(file: ParsedFile, repo: RepoFiles, positions: Positions): FileGraph {
  const edges: ImportEdge[] = [];
  const autoImports: FileGraph['autoImports'] = [];
  const seen = new Set<number>();
  const add = (node: Expr, kind: ImportEdge['kind'], via: string): void => {
    const target = resolvePath(file.path, node, repo);
    if (!target || seen.has(node.start)) return;
    seen.add(node.start);
    const pos = positions.at(node.start);
    const base = {
      from: file.path,
      via,
      line: pos.line,
      column: pos.column,
      start: node.start,
      end: node.end,
      text: decode(file.tree.source.slice(node.start, node.end)),
    };
    if (target.kind === 'file') {
      if (target.path !== file.path) edges.push({ ...base, to: target.path, kind });
      return;
    }
    if (kind !== 'auto-import') return;
    autoImports.push({ file: file.path, dir: target.path, via });
    for (const to of autoImported(target.path, repo)) {
      if (to !== file.path) edges.push({ ...base, to, kind: 'auto-import' });
    }
  };

  // Depth-first with the chain of enclosing nodes, since what a path means
  // depends on where it sits (an imports list, a call's argument, ...).
  const visit = (node: Node, ancestors: Node[]): void => {
    if (node.type === 'Binding') {
      const name = node.path.length ? attrNameText(node.path[node.path.length - 1]!) : null;
      const value = unparen(node.value);
      if ((name === 'imports' || name === 'modules') && value.type === 'List') {
        const builder = enclosingBuilder(ancestors);
        const via =
          name === 'imports'
            ? builder === 'mkFlake'
              ? 'flake-parts imports'
              : 'imports'
            : `${builder ?? 'modules'} modules`;
        for (const item of value.items) add(item, name === 'imports' ? 'imports' : 'modules', via);
      } else if (value.type === 'Path') {
        // `nixosModules.base = ./modules/base.nix;` and the like.
        add(value, 'import', 'path value');
      }
    } else if (node.type === 'App') {
      const callee = calleeName(node.fn);
      const arg = unparen(node.arg);
      if (arg.type === 'Path') {
        if (callee === 'import' && unparen(node.fn).type === 'Var') add(arg, 'import', 'import');
        else if (callee === 'callPackage' || callee === 'callPackages')
          add(arg, 'callPackage', callee);
        else if (callee && AUTO_IMPORTERS.has(callee)) add(arg, 'auto-import', callee);
      }
    }
    ancestors.push(node);
    for (const child of children(node)) visit(child, ancestors);
    ancestors.pop();
  };
  visit(file.tree.root, []);
  return { edges, autoImports };
}

function unparen(e: Expr): Expr {
  while (e.type === 'Paren') e = e.expr;
  return e;
}

function enclosingBuilder(ancestors: Node[]): string | null {
  for (let i = ancestors.length - 1; i >= 0; i--) {
    const a = ancestors[i]!;
    if (a.type === 'App') {
      const name = calleeName(a.fn);
      if (name && SYSTEM_BUILDERS.has(name)) return name;
    }
  }
  return null;
}
