// Values assigned to secret-like names (`fooApiKey = "..."`, `DEPLOY_TOKEN=...`,
// `auth_key: ...`) that look random: a token no provider pattern knows still
// has the entropy of one. The name decides where to look; the value's
// Shannon entropy and shape decide whether it is key material, so `key =
// "value"` or `passwordFile = "/run/..."` stay quiet.
import { boundedMemo } from '../bounded-memo.js';
import type { RawHit } from './finding.js';

// name, optional closing quote, an assignment sign, optional opening quote, the value.
// The look-behind makes a name start only at a word's start, which keeps the
// scan linear on long runs of base64.
export const ASSIGNMENT =
  /(?<![A-Za-z0-9_.-])([A-Za-z_][A-Za-z0-9_.-]*)["']?[ \t]*(?::=|=>|=|:)[ \t]*["'`]?([^\s"'`;,)\]}]{16,512})/g;

const SECRET_WORDS = new Set([
  'key',
  'apikey',
  'token',
  'secret',
  'password',
  'passwd',
  'pwd',
  'pass',
  'passphrase',
  'psk',
  'auth',
  'credential',
  'credentials',
]);
// A name with one of these words is about a secret, not one: publicKey, keyFile, tokenPath.
const NOT_SECRET_WORDS = new Set([
  'public',
  'pub',
  'file',
  'files',
  'path',
  'dir',
  'command',
  'cmd',
  'id',
  'name',
  'type',
  'length',
  'size',
  'hash',
  'fingerprint',
  'url',
  'host',
  'user',
  'username',
  'method',
  'format',
  'algorithm',
  'mode',
]);

/** The words of a name: camelCase, snake_case, kebab-case and dotted paths split. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[\s_.-]+/)
    .filter((w) => w !== '');
}

export function isSecretName(name: string): boolean {
  const words = nameWords(name);
  const last = words.at(-1);
  if (last === undefined || !SECRET_WORDS.has(last)) return false;
  return !words.some((w) => NOT_SECRET_WORDS.has(w));
}

/** Shannon entropy in bits per character. */
export function entropy(value: string): number {
  const counts = new Map<string, number>();
  for (const c of value) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

// Values that are random-looking yet public, or references to a secret
// kept elsewhere.
const NOT_MATERIAL: readonly RegExp[] = [
  /^[$@%<{~/.]/, // $VAR, ${...}, @placeholder@, a path
  /:\/\//, // a URL (one with a password is the url-password rule's)
  /^(?:sha1|sha256|sha384|sha512|md5)[-:]/i, // an SRI or typed hash
  /^[0-9a-f]{40}$|^[0-9a-f]{64}$|^[0-9a-f]{128}$/i, // a git revision or a digest
  /^0x[0-9a-f]+$|^[0-9a-f]{16}$/i, // a GnuPG key id (signingKey)
  /^[0-9a-df-np-sv-z]{32}(?:-|$)|^[0-9a-df-np-sv-z]{52}$/, // a nix store hash or base-32 digest
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, // a UUID
  /^age1[0-9a-z]{58}$/, // an age recipient (public)
  /^(?:ssh|ecdsa|sk)-[a-z0-9-]+$/, // an SSH key type: the key follows after a space
  /^[A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z][A-Za-z0-9-]*)+$/, // a dotted attribute path or host name
  // Short lower-case words joined by - or _: a name (demo-wsl-x86_64-linux, an
  // image key in a manifest), not a token; random tokens are longer or mixed-case.
  /^(?=.{0,31}$)[a-z][a-z0-9]*(?:[-_][a-z0-9]+)+$/,
];

const MIN_BITS = 3.5;

export function looksLikeMaterial(value: string): boolean {
  if (NOT_MATERIAL.some((re) => re.test(value))) return false;
  if (!/[0-9]/.test(value) || !/[A-Za-z]/.test(value)) return false;
  return entropy(value) >= MIN_BITS;
}

// ASSIGNMENT tried at one offset: the match it finds there, as the scan would.
const ASSIGNMENT_AT = new RegExp(ASSIGNMENT.source, 'y');
// An assignment sign right after a name that ends in a secret word (then any
// `_ . -`, a quote, blanks): isSecretName holds only for such names (their
// last word is a secret word). The sign comes first so that irregexp scans
// for it and looks back only from there.
const SIGN_AFTER_SECRET_WORD = new RegExp(
  `[:=](?<=(?:${[...SECRET_WORDS].join('|')})[_.-]*["']?[ \\t]*[:=])`,
  'gi',
);

const isBlank = (c: number): boolean => c === 32 || c === 9;
const isQuote = (c: number): boolean => c === 34 || c === 39;
const isNameChar = (c: number): boolean =>
  (c >= 97 && c <= 122) ||
  (c >= 65 && c <= 90) ||
  (c >= 48 && c <= 57) ||
  c === 95 ||
  c === 46 ||
  c === 45;

/** Where the run of name characters before the sign at `sign` (past blanks and a quote) starts. */
function nameStart(text: string, sign: number): number {
  let j = sign - 1;
  while (j >= 0 && isBlank(text.charCodeAt(j))) j--;
  if (j >= 0 && isQuote(text.charCodeAt(j))) j--;
  while (j >= 0 && isNameChar(text.charCodeAt(j))) j--;
  return j + 1;
}

// Option and variable names repeat: split each into words once.
const secretName = boundedMemo(isSecretName, 10_000);

/**
 * ASSIGNMENT's hits, scanning left to right, a hit's text not scanned again.
 * ASSIGNMENT's name is a whole run of name characters followed by the sign;
 * it is tried only at the start of a run that SIGN_AFTER_SECRET_WORD found.
 * Appended to `out`, which is returned.
 */
export function entropyHits(text: string, out: RawHit[] = []): RawHit[] {
  // No match starts inside the last hit.
  let from = 0;
  const signs = SIGN_AFTER_SECRET_WORD;
  signs.lastIndex = 0;
  while (signs.test(text)) {
    const start = nameStart(text, signs.lastIndex - 1);
    if (start < from) continue;
    ASSIGNMENT_AT.lastIndex = start;
    const m = ASSIGNMENT_AT.exec(text);
    if (m === null) continue;
    const [whole, name = '', value = ''] = m;
    if (!secretName(name) || !looksLikeMaterial(value)) continue;
    const at = start + whole.length - value.length;
    out.push({
      rule: 'entropy',
      kind: 'random value under a secret name',
      start: at,
      end: at + value.length,
    });
    from = start + whole.length;
    if (signs.lastIndex < from) signs.lastIndex = from;
  }
  return out;
}
