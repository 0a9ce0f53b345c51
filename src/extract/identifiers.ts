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

const USER_VALUE_PATHS = [
  'home.username',
  'wsl.defaultUser',
  'system.primaryUser',
  'crossflake.user.name',
];
const HOST_VALUE_PATHS = [
  'networking.hostName',
  'networking.computerName',
  'networking.localHostName',
];

// The last segments of every path above: only these bindings need their value read.
const VALUE_NAMES = new Set(
  [
    ...USER_VALUE_PATHS,
    ...HOST_VALUE_PATHS,
    'userEmail',
    'email',
    'userName',
    'name',
    'homeDirectory',
    'domain',
  ].map((p) => p.split('.').pop()!),
);

// Suffixes split once: the same dozen are tested against many bindings.
const SPLIT = new Map<string, string[]>();

function endsWith(path: (string | null)[], suffix: string): boolean {
  let want = SPLIT.get(suffix);
  if (!want) {
    want = suffix.split('.');
    SPLIT.set(suffix, want);
  }
  if (path.length < want.length) return false;
  return want.every((w, i) => path[path.length - want.length + i] === w);
}

function nameAfter(path: (string | null)[], prefix: string[]): string | null {
  for (let i = 0; i + prefix.length < path.length; i++) {
    if (prefix.every((p, j) => path[i + j] === p)) return path[i + prefix.length] ?? null;
  }
  return null;
}

function domainOf(address: string): string {
  const at = address.lastIndexOf('@');
  return at >= 0 ? address.slice(at + 1).toLowerCase() : '';
}

function isTrue(e: Expr | null): boolean {
  while (e?.type === 'Paren') e = e.expr;
  return e?.type === 'Var' && e.name === 'true';
}

/** `services.<name>...` (also under `config.`): the name of a service the repo configures. */
function serviceName(path: (string | null)[]): string | null {
  const at = path[0] === 'config' ? 1 : 0;
  return path[at] === 'services' ? (path[at + 1] ?? null) : null;
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

export function identifierFacts(ctx: FileContext): IdentifierFacts {
  // A template's values are placeholders for whoever uses it.
  const f = noFacts();
  if (inTemplates(ctx.file.path)) return f;
  // What each binding is asked needs one of these names bound in the file;
  // most files have none and skip the walk.
  const users = ctx.names.has('users');
  const services = ctx.names.has('services');
  const values = ctx.hasName((n) => VALUE_NAMES.has(n));
  if (!users && !services && !values) return f;
  for (const b of ctx.bound) {
    const p = b.path;
    // Both prefixes end in `users`; most paths have no such segment.
    const last = p[p.length - 1];
    if (users && p.includes('users')) {
      const user = nameAfter(p, ['users', 'users']) ?? nameAfter(p, ['home-manager', 'users']);
      if (user) f.accounts.push(user);
      if (user && last === 'isSystemUser' && isTrue(b.value)) f.serviceAccounts.push(user);
    }
    const service = services ? serviceName(p) : null;
    if (service) f.serviceAccounts.push(service);
    if (!values || !last || !VALUE_NAMES.has(last) || !b.value) continue;
    const value = constString(ctx, b.value);
    if (value === null) continue;
    if (USER_VALUE_PATHS.some((s) => endsWith(p, s))) f.users.push(value);
    if (HOST_VALUE_PATHS.some((s) => endsWith(p, s))) f.hosts.push(value);
    if (endsWith(p, 'userEmail') || endsWith(p, 'user.email')) f.emails.push(value);
    if (endsWith(p, 'acme.defaults.email') || endsWith(p, 'acme.email'))
      f.domains.push(domainOf(value));
    if (endsWith(p, 'networking.domain')) f.domains.push(value.toLowerCase());
    // A login that is an address (a mail account's userName) is no full name.
    if ((endsWith(p, 'userName') || endsWith(p, 'user.name')) && !value.includes('@'))
      f.names.push(value);
    if (endsWith(p, 'home.homeDirectory')) {
      const m = /^\/(?:home|Users)\/([^/]+)/.exec(value);
      if (m) f.users.push(m[1]!);
    }
  }
  return f;
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
