// One file's verdict, once the whole repository has been read: the rules'
// evidence, what kind of file it is, and the label the classifier gives it.
import { posix } from 'node:path';
import type { Expr } from '../nixlang/index.js';
import { decide, type FileFacts } from './classify.js';
import { constString, type FileContext } from './context.js';
import type {
  Evidence,
  FileKind,
  FileVerdict,
  Identifiers,
  ImportEdge,
  ModuleClass,
} from './model.js';
import { RULES } from './rules/index.js';
import { looksLikeModule } from './shape.js';
import { MODULE_DIRS } from './host-words.js';
import { inTemplates, isPlaceholder } from './placeholders.js';

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

export function fileVerdict(ctx: FileContext, place: FilePlace): FileVerdict {
  const ids = ctx.repo.identifiers;
  const evidence = RULES.flatMap((rule) => rule.check(ctx)).sort(
    (a, b) => a.line - b.line || a.column - b.column,
  );
  const kind = place.other ? 'other' : fileKind(ctx, place.incoming);
  const decision = decide(fileFacts(ctx, kind, ids, evidence), evidence);
  const verdict: FileVerdict = {
    path: ctx.file.path,
    kind,
    label: decision.label,
    moduleClass: place.moduleClass,
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
    imports: [...new Set(place.outgoing.map((e) => e.to))],
  };
  if (decision.platform) verdict.platform = decision.platform;
  const root = ctx.tree.root;
  if (root.type === 'Lambda' && root.formals)
    verdict.arguments = root.formals.entries.map((f) => f.name.name);
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
