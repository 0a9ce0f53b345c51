// What a release to an HTTP store does, decided on plain data: the order of
// the uploads (artifacts and notes, then SHA256SUMS, then manifest.json, so a
// reader never sees sums for missing files), what each file needs given what
// the store holds, and the `latest/` pointer moved only forward.
import { decide, type Action } from '../publish.js';
import { compareVersionStrings } from '../version.js';

export const LATEST_DIR = 'latest/';
export const LATEST_FILE = 'release.json';
export const LATEST_SCHEMA = 'crossflake.images.latest/1';
const LAST = ['SHA256SUMS', 'manifest.json'];

export function uploadOrder<T extends { name: string }>(files: T[]): T[] {
  const rank = (name: string) => LAST.indexOf(name) + 1;
  return [...files].sort((a, b) => rank(a.name) - rank(b.name));
}

/** What the store holds of one file, as far as HEAD and its SHA256SUMS tell. */
export type Held =
  | { state: 'absent' }
  | { state: 'known'; sha256: string }
  /** Same size, no checksum from the store and none in its SHA256SUMS: read it back to know. */
  | { state: 'unknown' };

export function heldState(
  wanted: { size: number; sha256: string },
  head: { size: number | null; sha256: string | null } | null,
  remoteSums: Map<string, string> | null,
  name: string,
): Held {
  if (head === null) return { state: 'absent' };
  if (head.sha256) return { state: 'known', sha256: head.sha256 };
  const listed = remoteSums?.get(name);
  // Size and the store's own SHA256SUMS together: the bytes that sum was made of.
  if (listed && head.size === wanted.size) return { state: 'known', sha256: listed };
  if (head.size !== null && head.size !== wanted.size)
    return { state: 'known', sha256: `size ${head.size}` };
  return { state: 'unknown' };
}

/**
 * The action for one file. A version folder without SHA256SUMS was never
 * finished (sums go up last): what differs there is a leftover of the
 * interrupted run and is replaced; in a finished one it is a conflict.
 */
export function planFile(
  wanted: string,
  held: string | null,
  finished: boolean,
  replace: boolean,
): Action | 'send' {
  return decide(wanted, held, replace || !finished);
}

export interface LatestPointer {
  schema: typeof LATEST_SCHEMA;
  tag: string;
  version: string;
  /** The release folder, relative to latest/. */
  path: string;
}

export function latestPointer(tag: string, version: string): LatestPointer {
  return { schema: LATEST_SCHEMA, tag, version, path: `../${encodeURIComponent(tag)}/` };
}

/** The pointer text as stored, or null when it is not ours to read. */
export function readLatest(text: string | null): LatestPointer | null {
  if (text === null) return null;
  try {
    const data = JSON.parse(text) as Partial<LatestPointer>;
    if (data.schema !== LATEST_SCHEMA || typeof data.version !== 'string') return null;
    if (typeof data.tag !== 'string' || typeof data.path !== 'string') return null;
    return data as LatestPointer;
  } catch {
    return null;
  }
}

/** `latest` moves to this version unless it already points at a newer one. */
export function moveLatest(current: LatestPointer | null, version: string): boolean {
  return current === null || compareVersionStrings(current.version, version) <= 0;
}
