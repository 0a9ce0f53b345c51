// One file's verdict, in two steps. fileFindings reads the file's tree once:
// every rule's evidence and the few facts the label needs. fileVerdict then
// weighs them, with what the whole repository showed (identifiers, imports,
// exports), without the tree: the analysis need not keep trees alive until
// every file has been read.
import { posix } from 'node:path';
import type { Expr } from '../nixlang/index.js';
import { decide, type FileFacts } from './classify.js';
import { constString, type FileContext, type RepoFacts } from './context.js';
import type {
  Evidence,
  FileKind,
  FileVerdict,
  Identifiers,
  ImportEdge,
  ModuleClass,
} from './model.js';
import { RULES, type Rule } from './rules/index.js';
import { notAModule, notAModuleEvidence, rootFacts, type RootFacts } from './rules/not-a-module.js';
import { secrets, secretSettings } from './rules/secrets.js';
import { looksLikeModule } from './shape.js';
import { MODULE_DIRS } from './host-words.js';
import { inTemplates, isPlaceholder } from './placeholders.js';

/** What the verdict needs of one file, read from its tree. */
export interface FileFindings {
  path: string;
  /**
   * Each rule's evidence, in RULES order; not-a-module's is left empty, and the
   * secrets rule's holds no material (both are added by fileVerdict).
   */
  evidence: Evidence[][];
  /** The kind its root gives it, before what imports it is known (see fileKind). */
  shape: FileKind;
  /** Option bindings in the file (for the share of personal values). */
  optionCount: number;
  /** Settings (bindings, innermost) that hold at least one personal value. */
  personalSettings: number;
  /** Users whose account the file defines or whose home.username it sets. */
  namedUsers: string[];
  /** It defines a mail account at a real address. */
  mailAccount: boolean;
  root: RootFacts;
  diagnostics: FileVerdict['diagnostics'];
  /** Names in the pattern of the file's function, if it is one. */
  arguments: string[] | null;
}

/** Where a file sits in the repository's graph, as its verdict needs it. */
export interface FilePlace {
  /** Edges from the file (as `imports` lists them). */
  outgoing: ImportEdge[];
  /** Edges that point at the file. */
  incoming: ImportEdge[];
  /** Whether a snowfall-lib layout makes it a package, overlay, library ... */
  other: boolean;
  moduleClass: ModuleClass;
}

export function fileFindings(ctx: FileContext): FileFindings {
  const evidence = RULES.map((rule) => {
    if (rule === notAModule) return [];
    return rule === secrets ? secretSettings(ctx) : rule.check(ctx);
  });
  const root = ctx.tree.root;
  return {
    path: ctx.file.path,
    evidence,
    shape: shapeKind(ctx),
    optionCount: optionCount(ctx),
    personalSettings: personalSettings(ctx, evidence),
    namedUsers: namedUsers(ctx),
    mailAccount: mailAccount(ctx),
    root: rootFacts(ctx),
    diagnostics: ctx.tree.diagnostics.map(({ message, line, column }) => ({
      message,
      line,
      column,
    })),
    arguments:
      root.type === 'Lambda' && root.formals ? root.formals.entries.map((f) => f.name.name) : null,
  };
}

/** The findings `f` with the evidence of the rules in `again` read anew from `ctx`. */
export function recheckFindings(
  f: FileFindings,
  ctx: FileContext,
  again: ReadonlySet<Rule>,
): FileFindings {
  const evidence = RULES.map((rule, i) => (again.has(rule) ? rule.check(ctx) : f.evidence[i]!));
  return { ...f, evidence, personalSettings: personalSettings(ctx, evidence) };
}

/** `material`: the secrets rule's evidence of key and token material (materialEvidence). */
export function fileVerdict(
  f: FileFindings,
  place: FilePlace,
  repo: RepoFacts,
  material: Evidence[],
): FileVerdict {
  const evidence = RULES.flatMap((rule, i) => {
    if (rule === notAModule) return notAModuleEvidence(f.root, repo);
    return rule === secrets ? [...material, ...f.evidence[i]!] : f.evidence[i]!;
  }).sort((a, b) => a.line - b.line || a.column - b.column);
  const kind = place.other ? 'other' : fileKind(f.shape, place.incoming);
  const decision = decide(fileFacts(f, kind, repo.identifiers), evidence);
  const verdict: FileVerdict = {
    path: f.path,
    kind,
    label: decision.label,
    moduleClass: place.moduleClass,
    needsParameters: decision.needsParameters,
    parameters: decision.parameters,
    evidence: evidence.map(({ start: _s, end: _e, value: _v, ...rest }) => ({
      ...rest,
      file: f.path,
    })),
    diagnostics: f.diagnostics,
    imports: [...new Set(place.outgoing.map((e) => e.to))],
  };
  if (decision.platform) verdict.platform = decision.platform;
  if (f.arguments) verdict.arguments = f.arguments;
  return verdict;
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

/** What the root says: flake, data, other (a package, a library function) or module. */
function shapeKind(ctx: FileContext): FileKind {
  if (ctx.file.path === 'flake.nix') return 'flake';
  const root = ctx.tree.root;
  if (looksLikeModule(root) === false) return 'data';
  if (root.type === 'Lambda' && root.formals?.entries.some((f) => PACKAGE_FORMALS.has(f.name.name)))
    return 'other';
  // The module system passes many arguments, so a module's pattern has `...`;
  // `{ lib }: ...` is a library function, `final: prev: ...` an overlay.
  if (root.type === 'Lambda' && root.formals && !root.formals.ellipsis) return 'other';
  if (root.type === 'Lambda' && !root.formals && unparen(root.body).type === 'Lambda')
    return 'other';
  return 'module';
}

/**
 * Bindings that set a value other than a set: counted, not collected. An
 * option binding is a bound path less its wrappers, with the same value, so
 * the bound paths count the same without making the option paths.
 */
function optionCount(ctx: FileContext): number {
  const bound = ctx.bound;
  let n = 0;
  for (let i = 0; i < bound.length; i++) {
    const value = bound[i]!.value;
    if (value && value.type !== 'Attrs') n++;
  }
  return n;
}

/** `incoming`: the edges that point at this file; what callPackage loads is no module. */
function fileKind(shape: FileKind, incoming: ImportEdge[]): FileKind {
  if (shape === 'flake' || shape === 'data') return shape;
  if (incoming.some((e) => e.kind === 'callPackage')) return 'other';
  return shape;
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
// Each name of ACCOUNT as a path of one name, for FileContext.mayBindAny.
const ACCOUNT_NAMES = [...ACCOUNT].map((a) => [a]);

/**
 * The users a file may call its own: `home.username = "<user>"`, or the
 * definition of an account (`users.users.<user>.isNormalUser`, keys ...).
 * Whether they are the repository's users is known only at the end.
 */
function namedUsers(ctx: FileContext): string[] {
  const out: string[] = [];
  const accounts = ctx.names.has('users') && ctx.mayBindAny(ACCOUNT_NAMES);
  if (!accounts && !ctx.mayBind(['home', 'username'])) return out;
  for (const o of ctx.options) {
    const p = o.path;
    const n = p.length;
    if (p[0] === 'users' && p[1] === 'users' && ACCOUNT.has(p[3] ?? '')) out.push(p[2] ?? '');
    if (n >= 2 && p[n - 2] === 'home' && p[n - 1] === 'username')
      out.push(constString(ctx, o.value) ?? '');
  }
  return out;
}

/** A mail account at a real address (home-manager's `accounts.email.accounts.<name>.address`). */
function mailAccount(ctx: FileContext): boolean {
  if (!ctx.mayBind(['accounts', 'email', 'address'])) return false;
  return ctx.options.some((o) => {
    const p = o.path;
    if (p[0] !== 'accounts' || p[1] !== 'email' || p[p.length - 1] !== 'address') return false;
    const address = constString(ctx, o.value);
    return address?.includes('@') === true && !isPlaceholder(address);
  });
}

/**
 * `evidence`: each rule's, as FileFindings keeps it. (Plain loops, and a set
 * only for a file with personal evidence: asked of every file.)
 */
function personalSettings(ctx: FileContext, evidence: Evidence[][]): number {
  let settings: Set<number> | null = null;
  for (let r = 0; r < evidence.length; r++) {
    const list = evidence[r]!;
    for (let i = 0; i < list.length; i++) {
      const e = list[i]!;
      if (e.signal !== 'personal' || e.rule === 'entry-points' || e.start === undefined) continue;
      (settings ??= new Set()).add(ctx.settingAt(e.start)?.binding.start ?? -1);
    }
  }
  return settings === null ? 0 : settings.size;
}

function fileFacts(f: FileFindings, kind: FileKind, ids: Identifiers): FileFacts {
  const { hosts, users, extra } = setsOf(ids);
  const segments = f.path.split('/');
  const stem = posix.basename(f.path, '.nix');
  const dirs = segments.slice(0, -1);
  const names = [...dirs, stem === 'default' ? '' : stem];
  // A template is nobody's host; modules/wsl is a module even beside a host called wsl.
  const template = inTemplates(f.path);
  const underHost =
    !template && names.some((n, i) => hosts.has(n) && (i === 0 || !MODULE_DIRS.has(names[i - 1]!)));
  // The file says whose it is: a path under the user, their account, their mail.
  const underUser =
    !template &&
    (names.some((n) => users.has(n) || extra.has(n) || users.has(userOf(n))) ||
      dirs.some((d, i) => USER_DIRS.has(d) && users.has(names[i + 1] ?? '')) ||
      f.mailAccount ||
      f.namedUsers.some((u) => users.has(u)));
  return {
    path: f.path,
    kind,
    optionCount: f.optionCount,
    personalSettings: f.personalSettings,
    underHost,
    underUser,
  };
}
