// Learns who and which machines a repository belongs to: user names from
// `homeConfigurations."user@host"`, `users.users.<name>`,
// `home-manager.users.<name>`, `home.username`, `wsl.defaultUser`; git names
// and e-mails; host names from the configurations and `networking.hostName`.
// These identifiers are what the personal-values rule then looks for.
import { constString, type FileContext } from './context.js';
import type { Expr } from '../nixlang/index.js';
import type { Configuration, Identifiers } from './model.js';
import { inTemplates, isPlaceholder } from './placeholders.js';

// Names every system has; finding them says nothing about a person.
const GENERIC = new Set([
  'root',
  'nixos',
  'admin',
  'user',
  'default',
  'nobody',
  'localhost',
  'guest',
  'me',
  'test',
]);

// Mail providers and documentation domains: an address there names no
// domain of the person's own.
const SHARED_DOMAINS = new Set([
  'gmail.com',
  'googlemail.com',
  'outlook.com',
  'hotmail.com',
  'live.com',
  'msn.com',
  'yahoo.com',
  'aol.com',
  'icloud.com',
  'me.com',
  'mac.com',
  'proton.me',
  'protonmail.com',
  'pm.me',
  'fastmail.com',
  'fastmail.fm',
  'gmx.de',
  'gmx.net',
  'gmx.com',
  'web.de',
  'posteo.de',
  'posteo.net',
  'mailbox.org',
  'tutanota.com',
  'tuta.io',
  'zoho.com',
  'yandex.ru',
  'hey.com',
  'users.noreply.github.com',
  'example.com',
  'example.org',
  'example.net',
]);

type ValueKind = 'users' | 'hosts' | 'emails' | 'acme' | 'domains' | 'names' | 'home';

// Settings whose value names the owner, by the path they end with, and what
// the value says: a user, a host, an e-mail, the domain of an ACME contact
// (`acme`), a domain, a full name, a home directory (whose user it names).
const VALUE_PATHS: [string, ValueKind][] = [
  ['home.username', 'users'],
  ['wsl.defaultUser', 'users'],
  ['system.primaryUser', 'users'],
  ['crossflake.user.name', 'users'],
  ['networking.hostName', 'hosts'],
  ['networking.computerName', 'hosts'],
  ['networking.localHostName', 'hosts'],
  ['userEmail', 'emails'],
  ['user.email', 'emails'],
  ['acme.defaults.email', 'acme'],
  ['acme.email', 'acme'],
  ['networking.domain', 'domains'],
  ['userName', 'names'],
  ['user.name', 'names'],
  ['home.homeDirectory', 'home'],
];

/** A setting of VALUE_PATHS: the segments its path ends with, and what its value says. */
interface ValuePath {
  suffix: string[];
  kind: ValueKind;
}

// By last segment: a binding is looked up once, and only the settings that
// end with its name are compared (in the order above).
const BY_LAST = new Map<string, ValuePath[]>();
for (const [path, kind] of VALUE_PATHS) {
  const suffix = path.split('.');
  const last = suffix[suffix.length - 1]!;
  const list = BY_LAST.get(last);
  if (list) list.push({ suffix, kind });
  else BY_LAST.set(last, [{ suffix, kind }]);
}
const VALUE_NAMES = [...BY_LAST.keys()];

function endsWith(path: (string | null)[], suffix: string[]): boolean {
  const at = path.length - suffix.length;
  if (at < 0) return false;
  for (let i = 0; i < suffix.length; i++) if (path[at + i] !== suffix[i]) return false;
  return true;
}

/** The name after the first run of `prefix` in `path` that has one after it. */
function nameAfter(path: (string | null)[], prefix: readonly string[]): string | null {
  for (let i = 0; i + prefix.length < path.length; i++)
    if (startsAt(path, i, prefix)) return path[i + prefix.length]!;
  return null;
}

function startsAt(path: (string | null)[], at: number, prefix: readonly string[]): boolean {
  for (let j = 0; j < prefix.length; j++) if (path[at + j] !== prefix[j]) return false;
  return true;
}

function domainOf(address: string): string {
  const at = address.lastIndexOf('@');
  return at >= 0 ? address.slice(at + 1).toLowerCase() : '';
}

function isTrue(e: Expr | null): boolean {
  while (e?.type === 'Paren') e = e.expr;
  return e?.type === 'Var' && e.name === 'true';
}

const USERS_USERS = ['users', 'users'];
const HOME_MANAGER_USERS = ['home-manager', 'users'];

/** `services.<name>...` (also under `config.`): the name of a service the repo configures. */
function serviceName(path: (string | null)[]): string | null {
  // Reads stay within the path: one past its end makes V8 compile the reader again.
  const at = path.length > 1 && path[0] === 'config' ? 1 : 0;
  return at + 1 < path.length && path[at] === 'services' ? path[at + 1]! : null;
}

/**
 * What one file says about whose repository this is. Kept per file so the
 * file's syntax tree can go as soon as it has been read.
 */
export interface IdentifierFacts {
  users: string[];
  /** Names under users.users / home-manager.users. */
  accounts: string[];
  /** Accounts the file shows to be a service's (isSystemUser, services.<name>). */
  serviceAccounts: string[];
  hosts: string[];
  emails: string[];
  domains: string[];
  names: string[];
}

function noFacts(): IdentifierFacts {
  return {
    users: [],
    accounts: [],
    serviceAccounts: [],
    hosts: [],
    emails: [],
    domains: [],
    names: [],
  };
}

// What a file that says nothing about its owner gives: one shared value, so
// the many such files keep no arrays of their own until the end of the run.
const NO_FACTS: IdentifierFacts = Object.freeze(noFacts());

/** Collects one file's facts, each value once per list (a service is named by each of its settings). */
class FactsOf {
  facts: IdentifierFacts | null = null;

  add(list: keyof IdentifierFacts, value: string): void {
    const values = (this.facts ??= noFacts())[list];
    if (!values.includes(value)) values.push(value);
  }
}

export function identifierFacts(ctx: FileContext): IdentifierFacts {
  // A template's values are placeholders for whoever uses it.
  if (inTemplates(ctx.file.path)) return NO_FACTS;
  // What each binding is asked needs one of these names bound in the file;
  // most files have none and skip the walk.
  const names = ctx.names;
  const users = names.has('users');
  const services = names.has('services');
  const values = VALUE_NAMES.some((n) => names.has(n));
  if (!users && !services && !values) return NO_FACTS;
  const f = new FactsOf();
  const bound = ctx.bound;
  for (let i = 0; i < bound.length; i++) {
    const b = bound[i]!;
    const p = b.path;
    // Both prefixes end in `users`; most paths have no such segment.
    const last = p.length > 0 ? p[p.length - 1]! : null;
    if (users && p.includes('users')) {
      const user = nameAfter(p, USERS_USERS) ?? nameAfter(p, HOME_MANAGER_USERS);
      if (user) f.add('accounts', user);
      if (user && last === 'isSystemUser' && isTrue(b.value)) f.add('serviceAccounts', user);
    }
    const service = services ? serviceName(p) : null;
    if (service) f.add('serviceAccounts', service);
    const settings = values && last && b.value ? BY_LAST.get(last) : undefined;
    if (settings) valueFacts(ctx, b.value!, p, settings, f);
  }
  return f.facts ?? NO_FACTS;
}

/** What the value of a binding at `path` says, for the settings that end with its last name. */
function valueFacts(
  ctx: FileContext,
  valueNode: Expr,
  path: (string | null)[],
  settings: ValuePath[],
  f: FactsOf,
): void {
  let value: string | null | undefined;
  for (const { suffix, kind } of settings) {
    if (!endsWith(path, suffix)) continue;
    value ??= constString(ctx, valueNode);
    if (value === null) return;
    if (kind === 'acme') f.add('domains', domainOf(value));
    else if (kind === 'domains') f.add('domains', value.toLowerCase());
    // A login that is an address (a mail account's userName) is no full name.
    else if (kind === 'names') {
      if (!value.includes('@')) f.add('names', value);
    } else if (kind === 'home') {
      const m = /^\/(?:home|Users)\/([^/]+)/.exec(value);
      if (m) f.add('users', m[1]!);
    } else f.add(kind, value);
  }
}

export function learnIdentifiers(
  files: IdentifierFacts[],
  configurations: Configuration[],
  extra: string[],
): Identifiers {
  const users = new Set<string>();
  // Names under users.users / home-manager.users: people, unless the same
  // repo shows them to be service accounts (isSystemUser, or named after a
  // service it configures: users.users.jellyfin beside services.jellyfin).
  const accounts = new Set<string>();
  const serviceAccounts = new Set<string>();
  const hosts = new Set<string>();
  const emails = new Set<string>();
  // The person's own domains: of the ACME contact (certificates for their
  // sites) and networking.domain.
  const domains = new Set<string>();
  const names = new Set<string>();
  // A template's configurations are placeholders for whoever uses it.
  for (const c of configurations) {
    if (inTemplates(c.file)) continue;
    if (c.user) users.add(c.user);
    if (c.host) hosts.add(c.host);
  }
  for (const f of files) {
    for (const v of f.users) users.add(v);
    for (const v of f.accounts) accounts.add(v);
    for (const v of f.serviceAccounts) serviceAccounts.add(v);
    for (const v of f.hosts) hosts.add(v);
    for (const v of f.emails) emails.add(v);
    for (const v of f.domains) domains.add(v);
    for (const v of f.names) names.add(v);
  }
  for (const a of accounts) if (!serviceAccounts.has(a)) users.add(a);
  const keep = (s: Set<string>): string[] =>
    [...s]
      .filter((v) => v.length >= 2 && !GENERIC.has(v.toLowerCase()) && !isPlaceholder(v))
      .sort();
  return {
    users: keep(users),
    hosts: keep(hosts),
    emails: keep(emails),
    // Not the domains of e-mail addresses: a work address names the employer,
    // whose domain a team's shared configuration may well carry.
    domains: keep(new Set([...domains].filter((d) => d && !SHARED_DOMAINS.has(d)))),
    names: keep(names),
    extra: [...new Set(extra)].sort(),
  };
}
