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
  /** Files that cannot be made, and why: a missing part, counts that disagree. */
  problems: { file: string; reason: string }[];
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
  const problems: ReassemblyPlan['problems'] = [];
  for (const [file, group] of [...groups].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const counts = new Set([...group.values()].map((p) => p.count));
    if (counts.size !== 1) {
      problems.push({ file, reason: 'its parts disagree on how many there are' });
      continue;
    }
    const count = [...counts][0] as number;
    const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !group.has(i));
    if (missing.length > 0) {
      problems.push({ file, reason: `part(s) ${missing.join(', ')} of ${count} missing` });
      continue;
    }
    wholes.push({ file, parts: Array.from({ length: count }, (_, i) => group.get(i + 1)!.name) });
  }
  return { wholes, problems };
}

/** One part of a file as the release lists it. */
export interface PartRef {
  file: string;
  /** From SHA256SUMS. */
  sha256: string;
}

/** What manifest.json adds to SHA256SUMS for one artifact. */
export interface ManifestHint {
  format: string | null;
  system: string | null;
  /** The whole file's SHA-256, given for files published in parts. */
  sha256: string | null;
  /** The parts the manifest says make the file, in order. */
  parts: PartRef[] | null;
}

const HEX64 = /^[0-9a-f]{64}$/;

function hintOf(a: Record<string, unknown>): ManifestHint {
  const parts = Array.isArray(a.parts)
    ? (a.parts as Record<string, unknown>[]).flatMap((p) =>
        typeof p?.file === 'string' && typeof p.sha256 === 'string'
          ? [{ file: p.file, sha256: p.sha256 }]
          : [],
      )
    : null;
  return {
    format: typeof a.format === 'string' ? a.format : null,
    system: typeof a.system === 'string' ? a.system : null,
    sha256: typeof a.sha256 === 'string' && HEX64.test(a.sha256) ? a.sha256 : null,
    parts,
  };
}

/**
 * The artifacts manifest.json describes. A broken manifest only costs these
 * hints: SHA256SUMS decides what is trusted, except for the digest of a whole
 * file published in parts, which only the manifest gives.
 */
export function manifestHints(text: string | null): Map<string, ManifestHint> {
  const found = new Map<string, ManifestHint>();
  if (!text) return found;
  let data: { artifacts?: unknown };
  try {
    data = JSON.parse(text) as { artifacts?: unknown };
  } catch {
    return found;
  }
  if (!Array.isArray(data?.artifacts)) return found;
  for (const a of data.artifacts as Record<string, unknown>[]) {
    if (a && typeof a.file === 'string') found.set(a.file, hintOf(a));
  }
  return found;
}

export interface FoldableArtifact {
  file: string;
  /** From SHA256SUMS; for a file published in parts, the whole file's from manifest.json. */
  sha256: string | null;
  format: string | null;
  system: string | null;
  /** Published as numbered parts (each listed in SHA256SUMS), joined on fetch. */
  parts?: PartRef[];
  /** Why this artifact cannot be fetched (a part missing, a digest nobody gives). */
  problem?: string;
}

function samePartList(a: readonly PartRef[], b: readonly PartRef[]): boolean {
  return (
    a.length === b.length && a.every((p, i) => p.file === b[i]?.file && p.sha256 === b[i]?.sha256)
  );
}

/** The whole file one complete part set makes, or why it cannot be trusted. */
function wholeOf(
  whole: Reassembly,
  sums: ReadonlyMap<string, string>,
  hint: ManifestHint | undefined,
): FoldableArtifact {
  const parts = whole.parts.map((file) => ({ file, sha256: sums.get(file) as string }));
  const base = { file: whole.file, format: hint?.format ?? null, system: hint?.system ?? null };
  if (!hint?.sha256) {
    return {
      ...base,
      sha256: null,
      parts,
      problem: `it is published in ${parts.length} parts and manifest.json does not give the whole file's SHA-256`,
    };
  }
  if (hint.parts && !samePartList(hint.parts, parts)) {
    return {
      ...base,
      sha256: hint.sha256,
      parts,
      problem: 'manifest.json and SHA256SUMS disagree on its parts',
    };
  }
  return { ...base, sha256: hint.sha256, parts };
}

/**
 * The release's artifacts as a user sees them: numbered parts listed in
 * SHA256SUMS become the one file they make (fetched part by part, then
 * joined); a file whose parts are incomplete is listed with the reason.
 */
export function foldParts(
  artifacts: readonly FoldableArtifact[],
  sums: ReadonlyMap<string, string> | null,
  hints: ReadonlyMap<string, ManifestHint>,
): FoldableArtifact[] {
  if (!sums) return [...artifacts];
  // A file SHA256SUMS lists whole is fetched whole, whatever parts sit beside it.
  const plan = reassemble([...sums.keys()].filter((n) => !sums.has(parsePartName(n)?.file ?? n)));
  const folded = new Map<string, FoldableArtifact>();
  for (const whole of plan.wholes)
    folded.set(whole.file, wholeOf(whole, sums, hints.get(whole.file)));
  for (const { file, reason } of plan.problems) {
    const hint = hints.get(file);
    folded.set(file, {
      file,
      sha256: null,
      format: hint?.format ?? null,
      system: hint?.system ?? null,
      problem: reason,
    });
  }
  const kept = artifacts.filter((a) => parsePartName(a.file) === null && !folded.has(a.file));
  return [...kept, ...folded.values()].sort((a, b) => (a.file < b.file ? -1 : 1));
}
