// Artifacts over a release host's size limit (GitHub refuses assets of 2 GiB
// and more) are published as numbered parts, byte ranges of the one file:
// `<file>.part-001-of-003`, ... The count is in every name, so a reader that
// has only SHA256SUMS knows whether it has all of them. Pure: the plan of the
// split here, and the plan of putting the parts together again (for fetch).
import { isArtifactName } from './artifact-name.js';

/** GitHub's limit: an asset must be smaller than 2 GiB. */
export const GITHUB_ASSET_LIMIT = 2 * 1024 ** 3 - 1;

export interface PartRange {
  file: string;
  index: number;
  count: number;
  /** First byte in the whole file. */
  start: number;
  /** Last byte in the whole file (inclusive, like createReadStream's end). */
  end: number;
  size: number;
}

const PART = /^(.+)\.part-(\d{3,})-of-(\d{3,})$/;

export function partName(file: string, index: number, count: number): string {
  const width = Math.max(3, String(count).length);
  return `${file}.part-${String(index).padStart(width, '0')}-of-${String(count).padStart(width, '0')}`;
}

/** The parts of a file of `size` bytes when it is over `limit` bytes; null when it fits. */
export function splitPlan(file: string, size: number, limit: number): PartRange[] | null {
  if (!Number.isInteger(limit) || limit < 1)
    throw new Error(`asset size limit ${limit} is not a positive integer`);
  if (size <= limit) return null;
  const count = Math.ceil(size / limit);
  return Array.from({ length: count }, (_, i) => {
    const start = i * limit;
    const end = Math.min(size, start + limit) - 1;
    return {
      file: partName(file, i + 1, count),
      index: i + 1,
      count,
      start,
      end,
      size: end - start + 1,
    };
  });
}

/** A part name's whole file, position and count; null for a name that is not a part. */
export function parsePartName(name: string): { file: string; index: number; count: number } | null {
  const m = PART.exec(name);
  if (!m) return null;
  const [, file, index, count] = m as unknown as [string, string, string, string];
  const i = Number(index);
  const n = Number(count);
  if (i < 1 || i > n || partName(file, i, n) !== name || !isArtifactName(file)) return null;
  return { file, index: i, count: n };
}

export interface Reassembly {
  /** The whole file the parts make. */
  file: string;
  /** Part names in the order their bytes are joined. */
  parts: string[];
}

export interface ReassemblyPlan {
  /** Whole files that can be made from the given names (every part present). */
  wholes: Reassembly[];
  /** Why some files cannot be made: a missing part, counts that disagree. */
  problems: string[];
}

/**
 * Which whole files the given names (from SHA256SUMS or a manifest) make.
 * Names that are not parts are ignored; every part of a file must be there,
 * with one count.
 */
export function reassemble(names: Iterable<string>): ReassemblyPlan {
  const groups = new Map<string, Map<number, { name: string; count: number }>>();
  for (const name of names) {
    const part = parsePartName(name);
    if (!part) continue;
    const group = groups.get(part.file) ?? new Map<number, { name: string; count: number }>();
    group.set(part.index, { name, count: part.count });
    groups.set(part.file, group);
  }
  const wholes: Reassembly[] = [];
  const problems: string[] = [];
  for (const [file, group] of [...groups].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const counts = new Set([...group.values()].map((p) => p.count));
    if (counts.size !== 1) {
      problems.push(`${file}: its parts disagree on how many there are`);
      continue;
    }
    const count = [...counts][0] as number;
    const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !group.has(i));
    if (missing.length > 0) {
      problems.push(`${file}: part(s) ${missing.join(', ')} of ${count} missing`);
      continue;
    }
    wholes.push({ file, parts: Array.from({ length: count }, (_, i) => group.get(i + 1)!.name) });
  }
  return { wholes, problems };
}
