// "Exported but not a module": a file (or an inline value) exported under
// nixosModules/homeModules/... or listed in `imports` that is plain data, an
// attribute set of strings such as SSH keys, where the module system expects
// a function or a set of options.
//
// It needs what the whole repository imports and exports, and of the file only
// where its root starts and whether it is data: the analysis keeps those
// (RootFacts) and asks this rule last, without the file's tree.
import { clip, type FileContext, type RepoFacts } from '../context.js';
import type { Evidence } from '../model.js';
import { looksLikeModule } from '../shape.js';
import type { Rule } from './rule.js';

/** What this rule reads of a file. */
export interface RootFacts {
  path: string;
  start: number;
  line: number;
  column: number;
  /** The root expression is plain data, not a module. */
  data: boolean;
}

/**
 * Line and column of `offset`, as Positions gives them, without indexing the
 * whole file for the one offset that is mostly 0.
 */
function lineColumn(source: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = source.indexOf('\n'); i >= 0 && i < offset; i = source.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

export function rootFacts(ctx: FileContext): RootFacts {
  const root = ctx.tree.root;
  const { line, column } = lineColumn(ctx.tree.source, root.start);
  return {
    path: ctx.file.path,
    start: root.start,
    line,
    column,
    data: looksLikeModule(root) === false,
  };
}

const ID = 'not-a-module';

function evidence(line: number, column: number, start: number, text: string): Evidence {
  return { rule: ID, signal: 'not-a-module', line, column, text: clip(text), start, end: start };
}

export function notAModuleEvidence(file: RootFacts, repo: RepoFacts): Evidence[] {
  const out: Evidence[] = [];
  if (repo.moduleTargets.has(file.path) && file.data)
    out.push(evidence(file.line, file.column, file.start, 'plain data used as a module'));
  for (const e of repo.exports) {
    if (e.file === file.path && e.isModule === false)
      out.push(evidence(e.line, 1, 0, `${e.output}.${e.name} is plain data, not a module`));
  }
  return out;
}

export const notAModule: Rule = {
  id: ID,
  summary: 'a plain attribute set of data exported or imported where a module is expected',
  check(ctx) {
    return notAModuleEvidence(rootFacts(ctx), ctx.repo);
  },
};
