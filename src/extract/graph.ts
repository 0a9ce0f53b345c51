// The import graph: which file loads which, and how it was written
// (`imports = [...]`, `import ./x.nix`, `callPackage ./x`, the module list of a
// nixosSystem/darwinSystem/homeManagerConfiguration call, or an auto-import of
// a whole directory by import-tree or listFilesRecursive).
import { decode, type Expr } from '../nixlang/index.js';
import type { FileContext } from './context.js';
import type { ImportEdge } from './model.js';
import { autoImported, resolvePath, type RepoFiles } from './paths.js';

const AUTO_IMPORTERS = new Set(['import-tree', 'listFilesRecursive', 'rakeLeaves', 'importTree']);

export interface FileGraph {
  edges: ImportEdge[];
  autoImports: { file: string; dir: string; via: string }[];
}

export function fileEdges(ctx: FileContext, repo: RepoFiles): FileGraph {
  const { file, positions } = ctx;
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

  // The index lists the candidates in depth-first source order, each with
  // what its place in the tree means (an imports list, a call's argument).
  for (const link of ctx.index.links) {
    switch (link.site) {
      case 'imports':
        add(link.node, 'imports', link.builder === 'mkFlake' ? 'flake-parts imports' : 'imports');
        break;
      case 'modules':
        add(link.node, 'modules', `${link.builder ?? 'modules'} modules`);
        break;
      case 'path-value':
        // `nixosModules.base = ./modules/base.nix;` and the like.
        add(link.node, 'import', 'path value');
        break;
      case 'call':
        if (link.callee === 'import' && link.calleeIsVar) add(link.node, 'import', 'import');
        else if (link.callee === 'callPackage' || link.callee === 'callPackages')
          add(link.node, 'callPackage', link.callee);
        else if (link.callee && AUTO_IMPORTERS.has(link.callee))
          add(link.node, 'auto-import', link.callee);
        break;
    }
  }
  return { edges, autoImports };
}
