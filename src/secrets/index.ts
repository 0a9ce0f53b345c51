// The one secret detector of crossflake: secretlint's recommended preset,
// the formats it lacks (src/secrets/patterns.ts) and random values under
// secret-like names (src/secrets/entropy.ts). Text or bytes in, findings out;
// a finding carries a masked description, never the secret.
//
// Loaded only by the commands that scan (extract, check, images release,
// extract apply), each of which is itself loaded on demand: never on the
// --version/--help path.
import { Buffer } from 'node:buffer';
import { entropyHits } from './entropy.js';
import { maskedText, positions, type RawHit, type SecretFinding } from './finding.js';
import { needlesIn } from './needles.js';
import { patternHits } from './patterns.js';
import { presetHits } from './preset.js';

export type { SecretFinding } from './finding.js';
export { maskedText } from './finding.js';

/**
 * Bytes are read as latin1 so that offsets, lines and columns count bytes
 * (extract's sources are byte strings too) and no byte sequence can fail to
 * decode; every rule pattern is ASCII.
 */
function asText(input: string | Uint8Array): string {
  if (typeof input === 'string') return input;
  // A view of the same bytes: Buffer.from(input) alone would copy them first.
  return Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString('latin1');
}

// Generic rules (a secret-like name with a value, a URL with a password)
// often cover a provider's token too: the provider's name is the better
// description, so a generic hit overlapping a provider hit is dropped.
const GENERIC = new Set([
  'secret-assignment',
  'entropy',
  'url-password',
  'npm-registry-credential',
  'http-auth-header',
]);

function overlaps(a: RawHit, b: RawHit): boolean {
  return a.start < b.end && b.start < a.end;
}

/** Hits sorted by start, one per secret. */
function merge(hits: RawHit[]): RawHit[] {
  const longestFirst = (a: RawHit, b: RawHit) => a.start - b.start || b.end - a.end;
  const specific = hits.filter((h) => !GENERIC.has(h.rule)).sort(longestFirst);
  const kept: RawHit[] = [];
  for (const h of specific) {
    const last = kept.at(-1);
    if (last && h.start >= last.start && h.end <= last.end) continue;
    kept.push(h);
  }
  const generic = hits.filter((h) => GENERIC.has(h.rule)).sort(longestFirst);
  const keptGeneric: RawHit[] = [];
  for (const h of generic) {
    if (kept.some((k) => overlaps(k, h))) continue;
    const last = keptGeneric.at(-1);
    if (last && h.start >= last.start && h.end <= last.end) continue;
    keptGeneric.push(h);
  }
  return [...kept, ...keptGeneric].sort(longestFirst);
}

// Every file's raw hits, in one array kept from file to file: a new array per
// detector per file cost allocations, and each fresh array changed its
// element kind at its first hit, which threw the detectors' optimized code away.
const hits: RawHit[] = [];

/** Every secret in `input`, in order, masked. */
export function scanSecrets(input: string | Uint8Array): SecretFinding[] {
  const text = asText(input);
  const present = needlesIn(text);
  hits.length = 0;
  presetHits(text, present, hits);
  patternHits(text, present, hits);
  entropyHits(text, hits);
  if (hits.length === 0) return [];
  const kept = merge(hits);
  hits.length = 0;
  const where = positions(
    text,
    kept.map((h) => h.start),
  );
  return kept.map((h, i) => {
    const [line, column] = where[i] as [number, number];
    return { ...h, line, column, masked: maskedText(h.kind, h.end - h.start) };
  });
}

/** Whether `input` holds any secret (other rules must then not print it). */
export function hasSecret(input: string | Uint8Array): boolean {
  return scanSecrets(input).length > 0;
}

/** One line per finding, `<name>:<line>:<column>: <rule>: <masked>`. */
export function describeFindings(name: string, findings: readonly SecretFinding[]): string[] {
  return findings.map((f) => `${name}:${f.line}:${f.column}: secret (${f.rule}): ${f.masked}`);
}
