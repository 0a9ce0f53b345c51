// The analysis, as one pure function over the repository's .nix files: parse,
// build the import graph, read exports and configurations, learn identifiers,
// run every rule on every file and classify it.
import { posix } from 'node:path';
import { parseNix, type Expr } from '../nixlang/index.js';
import { classifyModules } from './classes.js';
import { decide, type FileFacts } from './classify.js';
import { constString, FileContext, type RepoFacts } from './context.js';
import { fileEdges } from './graph.js';
import { learnIdentifiers } from './identifiers.js';
import {
  LABELS,
  type AnalysisReport,
  type Evidence,
  type FileKind,
  type FileVerdict,
  type Identifiers,
  type ImportEdge,
  type ParsedFile,
} from './model.js';
import { readConfigurations, readExports } from './outputs.js';
import { pathText, repoFiles, resolveRelative } from './paths.js';
import { RULES } from './rules/index.js';
import { looksLikeModule } from './shape.js';
import { snowfallLayout, type SnowfallSite } from './snowfall.js';
import { MODULE_DIRS } from './host-words.js';
import { inTemplates, isPlaceholder } from './placeholders.js';

export interface SourceFile {
  path: string;
  bytes: Uint8Array | string;
}

export interface AnalyzeOptions {
  /** Shown as `root` in the report. */
  root: string;
  identifiers?: string[];
}

export function analyze(sources: SourceFile[], options: AnalyzeOptions): AnalysisReport {
  const parsed: ParsedFile[] = sources.map((s) => ({
    path: s.path,
    bytes: typeof s.bytes === 'string' ? Buffer.byteLength(s.bytes) : s.bytes.length,
    tree: parseNix(s.bytes, { check: false }),
  }));
  const repo = repoFiles(parsed.map((p) => p.path));
  const facts: RepoFacts = {
    identifiers: { users: [], hosts: [], emails: [], domains: [], names: [], extra: [] },
    moduleTargets: new Set(),
    exports: [],
  };
  const contexts = parsed.map((p) => new FileContext(p, facts));
  const edges: ImportEdge[] = [];
  const autoImports: AnalysisReport['autoImports'] = [];
  for (const ctx of contexts) {
    const g = fileEdges(ctx, repo);
    edges.push(...g.edges);
    autoImports.push(...g.autoImports);
  }
  const layouts = snowfallSites(contexts).map((site) => {
    autoImports.push({ file: site.file, dir: site.dir, via: 'snowfall-lib' });
    return snowfallLayout(site, repo);
  });
  for (const l of layouts) edges.push(...l.edges);
  const edgesFrom = groupBy(edges, (e) => e.from);
  const edgesTo = groupBy(edges, (e) => e.to);
  facts.exports = [
    ...contexts.flatMap((ctx) => readExports(ctx, edgesFrom.get(ctx.file.path) ?? [])),
    ...layouts.flatMap((l) => l.exports),
  ];
  const configurations = [
    ...contexts.flatMap((ctx) =>
      readConfigurations(ctx, edgesFrom.get(ctx.file.path) ?? [], facts.exports),
    ),
    ...layouts.flatMap((l) => l.configurations),
  ];
  const others = new Set(layouts.flatMap((l) => [...l.others]));
  for (const e of edges)
    if (e.kind === 'imports' || e.kind === 'modules') facts.moduleTargets.add(e.to);
  for (const e of facts.exports) for (const t of e.targets) facts.moduleTargets.add(t);
  facts.identifiers = learnIdentifiers(contexts, configurations, options.identifiers ?? []);

  const classes = classifyModules(contexts, edges, facts.exports, configurations);
  const files: FileVerdict[] = contexts.map((ctx) => {
    const evidence = RULES.flatMap((rule) => rule.check(ctx)).sort(
      (a, b) => a.line - b.line || a.column - b.column,
    );
    const kind = others.has(ctx.file.path)
      ? 'other'
      : fileKind(ctx, edgesTo.get(ctx.file.path) ?? []);
    const decision = decide(fileFacts(ctx, kind, facts.identifiers, evidence), evidence);
    const verdict: FileVerdict = {
      path: ctx.file.path,
      kind,
      label: decision.label,
      moduleClass: classes.get(ctx.file.path) ?? 'unknown',
      needsParameters: decision.needsParameters,
      parameters: decision.parameters,
      evidence: evidence.map(({ start: _s, end: _e, value: _v, ...rest }) => ({
        ...rest,
        file: ctx.file.path,
      })),
      diagnostics: ctx.tree.diagnostics.map(({ message, line, column }) => ({
        message,
        line,
        column,
      })),
      imports: [...new Set((edgesFrom.get(ctx.file.path) ?? []).map((e) => e.to))],
    };
    if (decision.platform) verdict.platform = decision.platform;
    const root = ctx.tree.root;
    if (root.type === 'Lambda' && root.formals)
      verdict.arguments = root.formals.entries.map((f) => f.name.name);
    return verdict;
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

/** Every snowfall-lib `mkFlake { src = ...; }` of the repo, with the directory it loads. */
function snowfallSites(contexts: FileContext[]): SnowfallSite[] {
  const sites: SnowfallSite[] = [];
  for (const ctx of contexts)
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

const PACKAGE_FORMALS = new Set([
  'stdenv',
  'stdenvNoCC',
  'mkDerivation',
  'fetchurl',
  'fetchFromGitHub',
  'buildGoModule',
  'rustPlatform',
]);

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

/** `incoming`: the edges that point at this file. */
function fileKind(ctx: FileContext, incoming: ImportEdge[]): FileKind {
  if (ctx.file.path === 'flake.nix') return 'flake';
  const root = ctx.tree.root;
  if (looksLikeModule(root) === false) return 'data';
  if (incoming.some((e) => e.kind === 'callPackage')) return 'other';
  if (root.type === 'Lambda' && root.formals?.entries.some((f) => PACKAGE_FORMALS.has(f.name.name)))
    return 'other';
  // The module system passes many arguments, so a module's pattern has `...`;
  // `{ lib }: ...` is a library function, `final: prev: ...` an overlay.
  if (root.type === 'Lambda' && root.formals && !root.formals.ellipsis) return 'other';
  if (root.type === 'Lambda' && !root.formals && unparen(root.body).type === 'Lambda')
    return 'other';
  return 'module';
}

function unparen(e: Expr): Expr {
  while (e.type === 'Paren') e = e.expr;
  return e;
}

const USER_DIRS = new Set(['users', 'home', 'homes', 'people']);

interface IdentifierSets {
  hosts: Set<string>;
  users: Set<string>;
  extra: Set<string>;
}

// Sets of the learned identifiers, made once per run rather than once per file.
const identifierSets = new WeakMap<Identifiers, IdentifierSets>();

function setsOf(ids: Identifiers): IdentifierSets {
  let sets = identifierSets.get(ids);
  if (!sets) {
    sets = { hosts: new Set(ids.hosts), users: new Set(ids.users), extra: new Set(ids.extra) };
    identifierSets.set(ids, sets);
  }
  return sets;
}

/** `alice` of a `alice@laptop` directory (snowfall-lib's homes/<system>/<user>@<host>/). */
function userOf(segment: string): string {
  const at = segment.indexOf('@');
  return at > 0 ? segment.slice(0, at) : '';
}

// What defines an account, rather than adding a group or a shell to it.
const ACCOUNT = new Set([
  'isNormalUser',
  'description',
  'openssh',
  'uid',
  'home',
  'createHome',
  'hashedPassword',
  'hashedPasswordFile',
  'initialPassword',
  'initialHashedPassword',
]);

/**
 * The file says whose it is: it sets `home.username = "<a learned user>"`,
 * defines that user's account (`users.users.<user>.isNormalUser`, keys ...),
 * or defines a mail account at a real address (home-manager's
 * `accounts.email.accounts.<name>.address`).
 */
function namesItsUser(ctx: FileContext, users: Set<string>): boolean {
  return ctx.options.some((o) => {
    const p = o.path;
    const n = p.length;
    if (p[0] === 'accounts' && p[1] === 'email' && p[n - 1] === 'address') {
      const address = constString(ctx, o.value);
      if (address?.includes('@') && !isPlaceholder(address)) return true;
    }
    if (p[0] === 'users' && p[1] === 'users' && users.has(p[2] ?? '') && ACCOUNT.has(p[3] ?? ''))
      return true;
    return (
      n >= 2 &&
      p[n - 2] === 'home' &&
      p[n - 1] === 'username' &&
      users.has(constString(ctx, o.value) ?? '')
    );
  });
}

/** Settings (bindings, innermost) that hold at least one personal value. */
function personalSettings(ctx: FileContext, evidence: Evidence[]): number {
  const settings = new Set<number>();
  for (const e of evidence)
    if (e.signal === 'personal' && e.rule !== 'entry-points' && e.start !== undefined)
      settings.add(ctx.settingAt(e.start)?.binding.start ?? -1);
  return settings.size;
}

function fileFacts(
  ctx: FileContext,
  kind: FileKind,
  ids: Identifiers,
  evidence: Evidence[],
): FileFacts {
  const { hosts, users, extra } = setsOf(ids);
  const segments = ctx.file.path.split('/');
  const stem = posix.basename(ctx.file.path, '.nix');
  const dirs = segments.slice(0, -1);
  const names = [...dirs, stem === 'default' ? '' : stem];
  // A template is nobody's host; modules/wsl is a module even beside a host called wsl.
  const template = inTemplates(ctx.file.path);
  const underHost =
    !template && names.some((n, i) => hosts.has(n) && (i === 0 || !MODULE_DIRS.has(names[i - 1]!)));
  const underUser =
    !template &&
    (names.some((n) => users.has(n) || extra.has(n) || users.has(userOf(n))) ||
      dirs.some((d, i) => USER_DIRS.has(d) && users.has(names[i + 1] ?? '')) ||
      namesItsUser(ctx, users));
  const optionCount = ctx.options.filter((o) => o.value && o.value.type !== 'Attrs').length;
  return {
    path: ctx.file.path,
    kind,
    optionCount,
    personalSettings: personalSettings(ctx, evidence),
    underHost,
    underUser,
  };
}
