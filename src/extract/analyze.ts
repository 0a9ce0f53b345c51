// The analysis, as one pure function over the repository's .nix files: parse,
// build the import graph, read exports and configurations, learn identifiers,
// run every rule on every file and classify it.
//
// It reads each file twice rather than keeping every syntax tree from the
// first step to the last. The first pass keeps only small facts (edges,
// exports, what the file says about its owner); the second, once the whole
// repository is known, parses the file again for the rules. Kept alive, the
// trees of a large repository made the garbage collector trace a growing heap
// again and again, which cost more than parsing every file a second time.
import { parseNix } from '../nixlang/index.js';
import { byContent, classifyModules, isHomeEdge, type ClassHints } from './classes.js';
import { FileContext, type RepoFacts } from './context.js';
import { fileEdges } from './graph.js';
import { identifierFacts, learnIdentifiers, type IdentifierFacts } from './identifiers.js';
import {
  LABELS,
  type AnalysisReport,
  type Configuration,
  type FileVerdict,
  type ImportEdge,
  type ParsedFile,
} from './model.js';
import { hasConfigurations, readConfigurations, readExports } from './outputs.js';
import { pathText, repoFiles, resolveRelative, type RepoFiles } from './paths.js';
import { snowfallLayout, type SnowfallLayout, type SnowfallSite } from './snowfall.js';
import { fileVerdict } from './verdict.js';

export interface SourceFile {
  path: string;
  bytes: Uint8Array | string;
}

export interface AnalyzeOptions {
  /** Shown as `root` in the report. */
  root: string;
  identifiers?: string[];
  /**
   * Keep every file's tree from the first pass for the second instead of
   * parsing it again: the same report, with all trees in memory at once.
   * Tests use it to prove that parsing again changes nothing.
   */
  keepTrees?: boolean;
}

/** What the first pass keeps of one file once its tree is gone. */
interface Survey {
  path: string;
  /** The file's own edges (graph.ts). */
  edges: ImportEdge[];
  autoImports: AnalysisReport['autoImports'];
  /** What each snowfall-lib `mkFlake` of the file loads. */
  sites: SnowfallSite[];
  layouts: SnowfallLayout[];
  exports: AnalysisReport['exports'];
  identifiers: IdentifierFacts;
  hints: ClassHints;
  /** Targets of the own edges, then of the layouts' edges, written inside home-manager settings. */
  homeTargets: string[];
  layoutHomeTargets: string[];
  /** Kept only for a file that defines configurations: those need every file's exports. */
  context: FileContext | null;
}

function parseFile(source: SourceFile): ParsedFile {
  const { path, bytes } = source;
  return {
    path,
    bytes: typeof bytes === 'string' ? Buffer.byteLength(bytes) : bytes.length,
    tree: parseNix(bytes, { check: false }),
  };
}

function survey(ctx: FileContext, repo: RepoFiles, keep: boolean): Survey {
  const path = ctx.file.path;
  const graph = fileEdges(ctx, repo);
  const sites = snowfallSites(ctx);
  const layouts = sites.map((site) => snowfallLayout(site, repo));
  const layoutEdges = layouts.flatMap((l) => l.edges);
  const homeTargets = (edges: ImportEdge[]): string[] =>
    edges.filter((e) => isHomeEdge(ctx, e)).map((e) => e.to);
  return {
    path,
    edges: graph.edges,
    autoImports: graph.autoImports,
    sites,
    layouts,
    // A file's exports are read against every edge that starts in it.
    exports: readExports(ctx, [...graph.edges, ...layoutEdges]),
    identifiers: identifierFacts(ctx),
    hints: { path, byContent: byContent(ctx) },
    homeTargets: homeTargets(graph.edges),
    layoutHomeTargets: homeTargets(layoutEdges),
    context: keep || hasConfigurations(ctx) ? ctx : null,
  };
}

export function analyze(sources: SourceFile[], options: AnalyzeOptions): AnalysisReport {
  const repo = repoFiles(sources.map((s) => s.path));
  const facts: RepoFacts = {
    identifiers: { users: [], hosts: [], emails: [], domains: [], names: [], extra: [] },
    moduleTargets: new Set(),
    exports: [],
  };
  const keep = options.keepTrees === true;
  // Pass 1: what the cross-file steps need, one file at a time.
  const surveys = sources.map((s) => survey(new FileContext(parseFile(s), facts), repo, keep));

  const layouts = surveys.flatMap((s) => s.layouts);
  const edges = [...surveys.flatMap((s) => s.edges), ...layouts.flatMap((l) => l.edges)];
  const autoImports = [
    ...surveys.flatMap((s) => s.autoImports),
    ...surveys.flatMap((s) =>
      s.sites.map((site) => ({ file: site.file, dir: site.dir, via: 'snowfall-lib' })),
    ),
  ];
  const edgesFrom = new Map(
    surveys.map((s) => [s.path, [...s.edges, ...s.layouts.flatMap((l) => l.edges)]]),
  );
  const edgesTo = groupBy(edges, (e) => e.to);
  facts.exports = [...surveys.flatMap((s) => s.exports), ...layouts.flatMap((l) => l.exports)];
  const configurations: Configuration[] = [
    ...surveys.flatMap((s) =>
      s.context && hasConfigurations(s.context)
        ? readConfigurations(s.context, edgesFrom.get(s.path) ?? [], facts.exports)
        : [],
    ),
    ...layouts.flatMap((l) => l.configurations),
  ];
  const others = new Set(layouts.flatMap((l) => [...l.others]));
  for (const e of edges)
    if (e.kind === 'imports' || e.kind === 'modules') facts.moduleTargets.add(e.to);
  for (const e of facts.exports) for (const t of e.targets) facts.moduleTargets.add(t);
  facts.identifiers = learnIdentifiers(
    surveys.map((s) => s.identifiers),
    configurations,
    options.identifiers ?? [],
  );
  const classes = classifyModules(
    surveys.map((s) => s.hints),
    edges,
    [...surveys.flatMap((s) => s.homeTargets), ...surveys.flatMap((s) => s.layoutHomeTargets)],
    facts.exports,
    configurations,
  );

  // Pass 2: the rules and the verdict, parsing each file again.
  const files: FileVerdict[] = surveys.map((s, i) => {
    const ctx = s.context ?? new FileContext(parseFile(sources[i]!), facts);
    return fileVerdict(ctx, {
      outgoing: edgesFrom.get(s.path) ?? [],
      incoming: edgesTo.get(s.path) ?? [],
      other: others.has(s.path),
      moduleClass: classes.get(s.path) ?? 'unknown',
    });
  });
  const summary = Object.fromEntries(
    LABELS.map((l) => [l, files.filter((f) => f.label === l).length]),
  ) as AnalysisReport['summary'];
  return {
    schema: 'crossflake.extract.analysis/1',
    root: options.root,
    identifiers: facts.identifiers,
    files,
    edges,
    exports: facts.exports,
    configurations,
    autoImports,
    summary,
  };
}

/** Every snowfall-lib `mkFlake { src = ...; }` of a file, with the directory it loads. */
function snowfallSites(ctx: FileContext): SnowfallSite[] {
  const sites: SnowfallSite[] = [];
  for (const src of ctx.index.snowfallSrc) {
    const node = src.type === 'Path' ? src : null;
    const text = node ? pathText(node) : null;
    const dir = text === null ? null : resolveRelative(ctx.file.path, text);
    if (dir === null) continue;
    const { line, column } = ctx.positions.at(src.start);
    sites.push({
      file: ctx.file.path,
      dir,
      line,
      column,
      start: src.start,
      end: src.end,
      text: ctx.text(src),
    });
  }
  return sites;
}

function groupBy<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}
