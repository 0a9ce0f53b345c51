// Personal values: the user names, host names, full names and e-mails learned
// from the repository (plus --identifier), any e-mail address, SSH public keys
// and OpenPGP key IDs, wherever they appear in a string, a path or an
// attribute name.
import type { FileContext } from '../context.js';
import type { Evidence } from '../model.js';
import { suggestOption, type ValueKind } from '../options.js';
import { escapeRegExp, isAscii, matches, offsetIn, type Rule } from './rule.js';
import { looksSecret } from './secrets.js';
import { isLoginAt } from './user-at-host.js';
import { notTheHost } from '../host-words.js';
import { isPlaceholder } from '../placeholders.js';
import { rarityRank } from '../../char-rarity.js';

// A domain name (not localhost, not a bare name, not an IP address, not a default `_`).
const SITE = /^(?=.*[A-Za-z])[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$/;
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
// OpenPGP key IDs (0x + 16 hex), fingerprints and keygrips (40 hex): whose
// key it is, in the settings that name one. Elsewhere 40 hex is a git rev.
const KEY_ID = /\b(?:(?:0x)?[0-9A-Fa-f]{16}|[0-9A-Fa-f]{40})\b/g;
const KEY_NAMES = ['signing', 'signingKey', 'default-key', 'defaultKey', 'sshKeys'];
const KEY_SETTINGS = new Set(KEY_NAMES);
const SSH_KEY =
  /\b(?:ssh-(?:ed25519|rsa|dss)|ecdsa-sha2-nistp\d+|sk-ssh-ed25519@openssh\.com) [A-Za-z0-9+/=]{20,}/g;

/**
 * Whether the file may hold a public key: the base64 of every key type starts
 * with AAAA. (A search for the rarer `AAAA` first: one for ` AAAA` stumbles
 * on every space of the file.)
 */
function sshKeys(source: string): boolean {
  return source.includes('AAAA') && source.includes(' AAAA');
}

export function wordRegex(words: string[]): RegExp | null {
  if (words.length === 0) return null;
  const alt = [...words]
    .sort((a, b) => b.length - a.length)
    .map(escapeRegExp)
    .join('|');
  // Whole words only: "alice" in "alice@laptop" or "/home/alice", not in "malice".
  return new RegExp(`(?<![A-Za-z0-9_])(?:${alt})(?![A-Za-z0-9_])`, 'g');
}

function identifierWords(ids: FileContext['repo']['identifiers']): string[] {
  return [...ids.users, ...ids.hosts, ...ids.domains, ...ids.names, ...ids.extra];
}

interface WordSearch {
  re: RegExp;
  /**
   * The words themselves, when each is ASCII and not empty: every match holds
   * one, so `matches` looks for them in the file rather than run the pattern
   * on every piece of each file that has one.
   */
  needles: string[] | undefined;
}

// One search per identifier set, shared by every file of a run.
const wordCache = new WeakMap<object, WordSearch | null>();

function identifierSearch(ids: FileContext['repo']['identifiers']): WordSearch | null {
  let search = wordCache.get(ids);
  if (search === undefined) {
    const words = identifierWords(ids);
    const re = wordRegex(words);
    const plain = words.every((w) => w.length > 0 && isAscii(w));
    search = re ? { re, needles: plain ? words : undefined } : null;
    wordCache.set(ids, search);
  }
  return search;
}

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

// V8 looks for a text of up to six characters by its first one, so a word
// is looked for from its rarest character (src/char-rarity.ts): `ydra` of
// `hydra` stops at few places, `hydra` at every h.

/** Where a word is looked for from: `part` starts `at` characters into it. */
interface Anchor {
  word: string;
  at: number;
  part: string;
}

function anchorOf(word: string): Anchor {
  let at = 0;
  for (let i = 1; i < word.length; i++)
    if (rarityRank(word.charCodeAt(i)) < rarityRank(word.charCodeAt(at))) at = i;
  return { word, at, part: word.slice(at, at + 6) };
}

// The anchors of each word list, made once for the run's list (every file is asked).
const anchors = new WeakMap<readonly string[], Anchor[]>();

/**
 * Whether `text` holds one of `words` as a whole word: what wordRegex(words)
 * tests, found with indexOf. On every file of a repository the regex tried
 * each word at every offset and cost about twice as much.
 */
export function hasWholeWord(text: string, words: readonly string[]): boolean {
  let list = anchors.get(words);
  if (list === undefined) anchors.set(words, (list = words.map(anchorOf)));
  for (let k = 0; k < list.length; k++) {
    const { word, at, part } = list[k]!;
    // Every place of the word is a place of its part; the end of the text is
    // the last place of an empty one.
    for (
      let j = text.indexOf(part, at);
      j >= 0;
      j = j < text.length ? text.indexOf(part, j + 1) : -1
    ) {
      const i = j - at;
      if (!text.startsWith(word, i)) continue;
      const end = i + word.length;
      if (i > 0 && isWordChar(text.charCodeAt(i - 1))) continue;
      if (end < text.length && isWordChar(text.charCodeAt(end))) continue;
      return true;
    }
  }
  return false;
}

function kindOf(ctx: FileContext, value: string): ValueKind {
  const ids = ctx.repo.identifiers;
  if (ids.emails.includes(value)) return 'email';
  if (ids.domains.includes(value)) return 'domain';
  if (ids.names.includes(value)) return 'full-name';
  if (ids.users.includes(value)) return 'user';
  if (ids.hosts.includes(value)) return 'host';
  return 'other';
}

/** Whether `index` sits in the user part of a URL (`scheme://user:pass@`). */
function inUrlAuthority(text: string, index: number): boolean {
  const before = text.slice(0, index);
  const start = Math.max(before.lastIndexOf(' '), before.lastIndexOf('"'), before.lastIndexOf("'"));
  return before.slice(start + 1).includes('://');
}

/** Whether the setting around `offset` has a path segment that passes `test`. */
function under(ctx: FileContext, offset: number, test: (segment: string) => boolean): boolean {
  return ctx.settingAt(offset)?.path.some((p) => p !== null && test(p)) ?? false;
}

/** The evidence of one file, each value once at each place. */
class Found {
  readonly out: Evidence[] = [];
  private readonly seen = new Set<string>();

  constructor(
    private readonly ctx: FileContext,
    private readonly id: string,
  ) {}

  add(start: number, end: number, text: string, kind: ValueKind): void {
    const key = `${start}:${text}`;
    if (this.seen.has(key)) return;
    // A token that happens to look like an address (glpat-...@gitlab.example)
    // is the secrets rule's to report, masked: never print it here. (Asked
    // last: the secret scan costs most, and loads the detector on first use.)
    if (isPlaceholder(text) || looksSecret(text)) return;
    this.seen.add(key);
    const option = suggestOption(kind, this.ctx.bindingAt(start));
    const ev = this.ctx.evidence(this.id, 'personal', start, end, text, { option, value: text });
    this.out.push(ev);
  }
}

export const personalIdentifiers: Rule = {
  id: 'personal-identifiers',
  summary:
    'user and host names, full names and e-mails learned from the repo or given with --identifier; SSH public keys',
  check(ctx) {
    const ids = ctx.repo.identifiers;
    const found = new Found(ctx, this.id);
    const words = identifierSearch(ids);
    if (words) {
      const source = ctx.tree.source;
      for (const [piece, m] of matches(ctx, words.re, undefined, words.needles)) {
        const kind = kindOf(ctx, m[0]);
        if (kind === 'host' && notTheHost(source, piece, m.index, m[0])) continue;
        const start = offsetIn(piece, m.index);
        // `inputs = { darwin = { url = ...; }; }`: a flake input named like the host.
        if (kind === 'host' && piece.kind === 'name' && ctx.settingAt(start)?.path[0] === 'inputs')
          continue;
        found.add(start, offsetIn(piece, m.index + m[0].length), m[0], kind);
      }
    }
    for (const [piece, m] of matches(ctx, EMAIL, ['string'], '@')) {
      const start = offsetIn(piece, m.index);
      // Browser extension IDs look like e-mail addresses (uBlock0@raymondhill.net).
      if (under(ctx, start, (p) => /extension/i.test(p))) continue;
      // user@host of a URL (ssh://u123@backup.example:23/) is a login, not an address.
      if (inUrlAuthority(piece.text, m.index)) continue;
      // `ssh tim@nas.lan` is a login on a machine (user-at-host.ts), not an address.
      const host = m[0].slice(m[0].indexOf('@') + 1);
      if (isLoginAt(piece.text, m.index, host)) continue;
      found.add(start, offsetIn(piece, m.index + m[0].length), m[0], 'email');
    }
    // The person's own sites: web server virtual hosts named by a domain.
    for (const b of ctx.names.has('virtualHosts') ? ctx.options : []) {
      const i = b.path.indexOf('virtualHosts');
      const site = i >= 0 ? b.path[i + 1] : null;
      if (!site || !SITE.test(site) || b.own > i + 1) continue;
      const start = ctx.tree.source.indexOf(site, b.binding.start);
      if (start >= 0 && start < b.binding.end)
        found.add(start, start + site.length, site, 'domain');
    }
    // Key IDs count only under the settings that name a key; most files have none.
    const keys = KEY_NAMES.some((k) => ctx.names.has(k));
    for (const [piece, m] of keys ? matches(ctx, KEY_ID, ['string']) : []) {
      const start = offsetIn(piece, m.index);
      if (!under(ctx, start, (p) => KEY_SETTINGS.has(p))) continue;
      found.add(start, offsetIn(piece, m.index + m[0].length), m[0], 'other');
    }
    for (const [piece, m] of sshKeys(ctx.tree.source) ? matches(ctx, SSH_KEY, ['string']) : []) {
      const start = offsetIn(piece, m.index);
      // Known hosts' keys are the servers' (github.com), not a person's.
      if (under(ctx, start, (p) => p === 'knownHosts')) continue;
      found.add(
        start,
        offsetIn(piece, m.index + m[0].length),
        `${m[0].slice(0, 24)}...`,
        'ssh-key',
      );
    }
    return found.out;
  },
  usesIdentifiers(source, ids) {
    // What `matches` tests before it looks at any piece (see rule.ts): the
    // source is bytes, so a word beyond ASCII cannot be looked for in it.
    const search = identifierSearch(ids);
    if (search === null) return false;
    // A word beyond ASCII (or an empty one): yes, as `matches` has no needles for it.
    return search.needles === undefined || hasWholeWord(source, search.needles);
  },
};
