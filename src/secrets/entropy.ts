// Values assigned to secret-like names (`fooApiKey = "..."`, `DEPLOY_TOKEN=...`,
// `auth_key: ...`) that look random: a token no provider pattern knows still
// has the entropy of one. The name decides where to look; the value's
// Shannon entropy and shape decide whether it is key material, so `key =
// "value"` or `passwordFile = "/run/..."` stay quiet.
import type { RawHit } from './finding.js';

// name, optional closing quote, an assignment sign, optional opening quote, the value.
// The look-behind makes a name start only at a word's start, which keeps the
// scan linear on long runs of base64.
const ASSIGNMENT =
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

function looksLikeMaterial(value: string): boolean {
  if (NOT_MATERIAL.some((re) => re.test(value))) return false;
  if (!/[0-9]/.test(value) || !/[A-Za-z]/.test(value)) return false;
  return entropy(value) >= MIN_BITS;
}

export function entropyHits(text: string): RawHit[] {
  const out: RawHit[] = [];
  ASSIGNMENT.lastIndex = 0;
  for (let m = ASSIGNMENT.exec(text); m; m = ASSIGNMENT.exec(text)) {
    const [whole, name = '', value = ''] = m;
    if (!isSecretName(name) || !looksLikeMaterial(value)) {
      // The value may itself hold an assignment (`x = "api_key: ..."`): look again after the name.
      ASSIGNMENT.lastIndex = m.index + name.length;
      continue;
    }
    const start = m.index + whole.length - value.length;
    out.push({
      rule: 'entropy',
      kind: 'random value under a secret name',
      start,
      end: start + value.length,
    });
  }
  return out;
}
