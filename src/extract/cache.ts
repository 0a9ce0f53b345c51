// Decides when the last analysis of a repository can be reused instead of
// parsing every file again. An entry is reused only when the build, the
// options and the SHA-256 of every .nix file are the same. File contents are
// hashed only where `stat` cannot vouch for them: a file whose size, times and
// inode match what was recorded, and that was not changed just before it was
// hashed, is the file that was hashed (git's index trusts stat the same way).
//
// On disk an entry is one file: a line of JSON (what was analysed), then the
// report exactly as `--json` prints it, so a reuse prints its bytes without
// decoding or parsing them.
import { Buffer } from 'node:buffer';
import type { FileStamp } from '../io/nix-files.js';

export const CACHE_SCHEMA = 'crossflake.extract.cache/1';

/** File systems with coarse times (FAT: 2 s) need a window in which stat proves nothing. */
export const RACY_MS = 2000;

export interface CachedFile extends FileStamp {
  sha256: string;
}

export interface CacheMeta {
  schema: typeof CACHE_SCHEMA;
  /** What was analysed and how (see cacheKey), compared as a string. */
  key: string;
  /** Time just before the files were hashed (ms since the epoch). */
  hashedAt: number;
  files: CachedFile[];
}

export interface CacheEntry {
  meta: CacheMeta;
  /** The report as `extract analyze --json` prints it, as UTF-8 bytes (printed as read). */
  json: Uint8Array;
}

export interface KeyParts {
  build: string;
  /** Absolute path of the repository. */
  root: string;
  /** The repository as the user named it (the report's `root`). */
  rootArg: string;
  identifiers: string[];
}

// Plain text, not a hash: comparing it needs no crypto module, whose loading
// alone costs a reused run several milliseconds.
export function cacheKey(parts: KeyParts): string {
  const ids = [...new Set(parts.identifiers)].sort();
  return JSON.stringify([CACHE_SCHEMA, parts.build, parts.root, parts.rootArg, ids]);
}

/**
 * The entry's file name: one per repository, from two 32-bit FNV-1a hashes
 * of its path. Two roots that collide only evict each other's entry: the
 * key inside names the root.
 */
export function entryName(root: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = 0; i < root.length; i++) {
    const c = root.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193) ^ (a >>> 7);
  }
  const hex = (n: number) => (n >>> 0).toString(16).padStart(8, '0');
  return `${hex(a)}${hex(b)}.cache`;
}

export function encodeEntry(meta: CacheMeta, json: string | Uint8Array): Buffer {
  return Buffer.concat([Buffer.from(`${JSON.stringify(meta)}\n`), Buffer.from(json)]);
}

const NL = 0x0a;
const CLOSE = 0x7d; // }

/** Null for anything that is not an intact entry (a torn or foreign file is a miss, not an error). */
export function decodeEntry(bytes: Uint8Array): CacheEntry | null {
  const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const nl = data.indexOf(NL);
  if (nl < 0) return null;
  let meta: unknown;
  try {
    meta = JSON.parse(data.toString('utf8', 0, nl));
  } catch {
    return null;
  }
  if (!isMeta(meta)) return null;
  const json = data.subarray(nl + 1);
  // The report ends with the newline --json prints; a cut-off file does not.
  const n = json.length;
  if (n < 2 || json[n - 1] !== NL || json[n - 2] !== CLOSE) return null;
  return { meta, json };
}

function isMeta(x: unknown): x is CacheMeta {
  if (typeof x !== 'object' || x === null) return false;
  const m = x as Partial<CacheMeta>;
  return (
    m.schema === CACHE_SCHEMA &&
    typeof m.key === 'string' &&
    typeof m.hashedAt === 'number' &&
    Array.isArray(m.files) &&
    m.files.every(
      (f) =>
        typeof f?.path === 'string' &&
        typeof f.sha256 === 'string' &&
        typeof f.size === 'number' &&
        typeof f.mtimeMs === 'number' &&
        typeof f.ctimeMs === 'number' &&
        typeof f.ino === 'number',
    )
  );
}

export type Reuse =
  | { kind: 'miss'; why: string }
  /** Reusable if the files at these indexes still hash as recorded. */
  | { kind: 'verify'; rehash: number[] };

function sameStamp(a: FileStamp, b: FileStamp): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs && a.ino === b.ino;
}

/** Whether a stamp taken now can vouch for content hashed at `hashedAt`. */
export function trustedStamp(s: FileStamp, hashedAt: number): boolean {
  return Math.max(s.mtimeMs, s.ctimeMs) < hashedAt - RACY_MS;
}

/** Compares an entry with the files as they are now (`stamps`, sorted by path like the entry's). */
export function reuse(meta: CacheMeta, key: string, stamps: FileStamp[]): Reuse {
  if (meta.key !== key) return { kind: 'miss', why: 'crossflake or its options changed' };
  if (meta.files.length !== stamps.length)
    return { kind: 'miss', why: 'files were added or removed' };
  const rehash: number[] = [];
  for (let i = 0; i < stamps.length; i++) {
    const now = stamps[i]!;
    const then = meta.files[i]!;
    if (now.path !== then.path) return { kind: 'miss', why: 'files were added or removed' };
    // A size change proves a change; anything else is settled by the hash.
    if (now.size !== then.size) return { kind: 'miss', why: `${now.path} changed` };
    if (!trustedStamp(now, meta.hashedAt) || !sameStamp(now, then)) rehash.push(i);
  }
  return { kind: 'verify', rehash };
}

/** Index of the first file whose new hash differs from the entry's, or -1. */
export function firstChanged(meta: CacheMeta, hashes: Map<number, string>): number {
  for (const [i, hash] of hashes) if (meta.files[i]?.sha256 !== hash) return i;
  return -1;
}
