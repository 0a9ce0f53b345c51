// The analysis, as one pure function over the repository's .nix files: parse,
// build the import graph, read exports and configurations, learn identifiers,
// run every rule on every file and classify it.
//
// Each file's tree lives only while that file is read. One pass reads every
// file: the small facts the cross-file steps need (edges, exports, what the
// file says about its owner) and every rule's evidence, with no identifier
// learned yet. Once the whole repository is known, only the files in which a
// learned identifier can change a rule's evidence are parsed and read again
// (on a large repository, a few percent). Kept alive to the end, the trees of
// a large repository made the garbage collector trace a growing heap again
// and again: a third of the run went to it.
import { parseByteString, toByteString } from '../nixlang/index.js';
import { byContent, classifyModules, isHomeEdge, type ClassHints } from './classes.js';
import { FileContext, Positions, type RepoFacts } from './context.js';
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
import { RULES } from './rules/index.js';
import { materialEvidence } from './rules/secrets.js';
import { scanSecrets } from '../secrets/index.js';
import type { SecretLookup } from './secret-scan.js';
import { fileFindings, fileVerdict, recheckFindings, type FileFindings } from './verdict.js';

export interface SourceFile {
  path: string;
  bytes: Uint8Array | string;
}

export interface AnalyzeOptions {
  /** Shown as `root` in the report. */
  root: string;
  identifiers?: string[];
  /**
   * Read every file again once the identifiers are learned, not only those
   * where a rule says they matter (Rule.usesIdentifiers): slower, and the
   * same report. Tests use it to prove that.
   */
  recheckAll?: boolean;
  /** The secret detector's findings per file (by index in `sources`), when another thread scans them. */
  secretScan?: SecretLookup;
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
  findings: FileFindings;
}

function parseFile(source: SourceFile): ParsedFile {
  return parsedFile(source.path, toByteString(source.bytes));
}

/** `source`: the file's byte string (one char per byte). */
function parsedFile(path: string, source: string): ParsedFile {
  return { path, bytes: source.length, tree: parseByteString(source, { check: false }) };
}

function survey(ctx: FileContext, repo: RepoFiles): Survey {
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
    context: hasConfigurations(ctx) ? ctx : null,
    findings: fileFindings(ctx),
  };
}

export function analyze(sources: SourceFile[], options: AnalyzeOptions): AnalysisReport {
  const repo = repoFiles(sources.map((s) => s.path));
  // What the rules see of the repository before it has been read.
  const unknown: RepoFacts = {
    identifiers: { users: [], hosts: [], emails: [], domains: [], names: [], extra: [] },
    moduleTargets: new Set(),
    exports: [],
  };
  const surveys = sources.map((s) => survey(new FileContext(parseFile(s), unknown), repo));
  const facts: RepoFacts = { ...unknown, moduleTargets: new Set() };

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

  const files: FileVerdict[] = surveys.map((s, i) => {
    // The file's byte string, made again when asked: kept from the first
    // pass, the texts of every file were a fifth of what the collector had
    // to copy and keep.
    let text: string | undefined;
    const source = (): string =>
      (text ??= s.context?.tree.source ?? toByteString(sources[i]!.bytes));
    const parse = (): ParsedFile => s.context?.file ?? parsedFile(s.path, source());
    const findings = options.recheckAll
      ? fileFindings(new FileContext(parse(), facts))
      : readAgain(s, source, parse, facts);
    const place = {
      outgoing: edgesFrom.get(s.path) ?? [],
      incoming: edgesTo.get(s.path) ?? [],
      other: others.has(s.path),
      moduleClass: classes.get(s.path) ?? 'unknown',
    };
    // Asked for last: by now a scan on another thread is long done.
    const found = options.secretScan?.(i) ?? scanSecrets(source());
    const material = found.length > 0 ? materialEvidence(found, new Positions(source())) : [];
    return fileVerdict(findings, place, facts, material);
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

/**
 * A file's findings once the repository is known: the first pass's, except
 * for the rules the learned identifiers matter to in this file, which read
 * it again.
 */
function readAgain(
  s: Survey,
  source: () => string,
  parse: () => ParsedFile,
  facts: RepoFacts,
): FileFindings {
  const again = new Set(
    RULES.filter((rule) => rule.usesIdentifiers?.(source(), facts.identifiers) === true),
  );
  if (again.size === 0) return s.findings;
  return recheckFindings(s.findings, new FileContext(parse(), facts), again);
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
