// manifest.json and SHA256SUMS: what a build produced, written last so that a
// directory with a manifest is always complete. Plus the release notes, which
// are a diff of two manifests. All pure.
import { isArtifactName, describeBadName } from './artifact-name.js';
import { imageKey, type ImageKind } from './matrix.js';
import { printable } from '../ui/printable.js';
export { renderSha256Sums } from './artifact-name.js';

export const MANIFEST_SCHEMA = 'crossflake.images.manifest/1';

export interface ClosurePath {
  path: string;
  narSize: number;
}

export interface Artifact {
  name: string;
  format: string;
  system: string;
  attr: string;
  kind: ImageKind;
  /** File name inside dist/<version>/. */
  file: string;
  size: number;
  sha256: string;
  drvPath: string;
  outPath: string;
  closureSize: number;
  /** The ten largest store paths of the closure, biggest first. */
  largestPaths: ClosurePath[];
  /** Wall time of the build (plus the root program, if any) in seconds; 0 when reused. */
  buildSeconds: number;
  builtAt: string;
  /**
   * Set by a GitHub release when the file is over the asset size limit: the
   * numbered parts that were published instead (see parts.ts).
   */
  parts?: ArtifactPart[];
}

export interface ArtifactPart {
  file: string;
  size: number;
  sha256: string;
}

/** An image the build was asked for but did not produce (so the set is partial). */
export interface MissingImage {
  key: string;
  status: string;
  reason: string;
}

export interface LockedInput {
  type: string | null;
  rev: string | null;
  narHash: string | null;
  lastModified: number | null;
}

export interface Manifest {
  schema: typeof MANIFEST_SCHEMA;
  version: string;
  createdAt: string;
  flake: string;
  git: { revision: string; dirty: boolean } | null;
  flakeLock: Record<string, LockedInput>;
  artifacts: Artifact[];
  /** Images of this version that failed or were skipped; absent in older manifests. */
  missing?: MissingImage[];
}

/** Lock entries of a flake.lock's input nodes (root excluded). */
export function lockedInputs(lock: unknown): Record<string, LockedInput> {
  const nodes = (lock as { nodes?: Record<string, { locked?: Record<string, unknown> }> })?.nodes;
  const result: Record<string, LockedInput> = {};
  for (const [name, node] of Object.entries(nodes ?? {})) {
    const locked = node.locked;
    if (!locked) continue;
    result[name] = {
      type: typeof locked.type === 'string' ? locked.type : null,
      rev: typeof locked.rev === 'string' ? locked.rev : null,
      narHash: typeof locked.narHash === 'string' ? locked.narHash : null,
      lastModified: typeof locked.lastModified === 'number' ? locked.lastModified : null,
    };
  }
  return result;
}

/** Why parsed manifest.json data cannot be trusted, or null when it can. */
export function manifestProblem(data: unknown): string | null {
  const m = data as Partial<Manifest> | null;
  if (!m || typeof m !== 'object') return 'it is not a JSON object';
  if (m.schema !== MANIFEST_SCHEMA) return `its schema is not ${MANIFEST_SCHEMA}`;
  if (typeof m.version !== 'string') return 'it has no version';
  if (!Array.isArray(m.artifacts)) return 'it has no artifact list';
  const seen = new Set<string>();
  for (const a of m.artifacts as unknown[]) {
    const art = a as Partial<Artifact> | null;
    if (typeof art?.file !== 'string') return 'an artifact has no file name';
    if (!isArtifactName(art.file)) return describeBadName(art.file);
    if (seen.has(art.file)) return `${art.file} is listed twice`;
    seen.add(art.file);
    if (typeof art.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(art.sha256))
      return `${art.file}: sha256 is not 64 hex digits`;
    if (typeof art.drvPath !== 'string' || typeof art.size !== 'number')
      return `${art.file}: drvPath or size missing`;
    for (const part of art.parts ?? []) {
      if (typeof part?.file !== 'string' || !isArtifactName(part.file))
        return describeBadName(String(part?.file));
    }
  }
  return null;
}

/** Checks a parsed manifest.json enough to trust its artifact list; null when it is not one. */
export function asManifest(data: unknown): Manifest | null {
  return manifestProblem(data) === null ? (data as Manifest) : null;
}

/** A reason on one Markdown line: no line breaks or control characters, not too long. */
function oneLine(text: string): string {
  const flat = printable(text.replace(/\s*\n\s*/g, ' ').trim());
  return flat.length > 200 ? `${flat.slice(0, 199)}…` : flat;
}

function mib(bytes: number): string {
  return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
}

function delta(bytes: number): string {
  const sign = bytes >= 0 ? '+' : '-';
  return `${sign}${mib(Math.abs(bytes))}`;
}

/** What changed between two manifests, for humans (release notes). */
export function releaseNotes(current: Manifest, previous: Manifest | null, tag: string): string {
  const lines = [`# ${tag}`, '', `Images built by crossflake, version ${current.version}.`, ''];
  if (current.git) {
    lines.push(
      `Source: ${current.git.revision}${current.git.dirty ? ' (with uncommitted changes)' : ''}`,
      '',
    );
  }
  const before = new Map((previous?.artifacts ?? []).map((a) => [imageKey(a), a]));
  const after = new Map(current.artifacts.map((a) => [imageKey(a), a]));
  const added = [...after.values()].filter((a) => !before.has(imageKey(a)));
  const removed = [...before.values()].filter((a) => !after.has(imageKey(a)));
  const rebuilt = [...after.values()].filter((a) => {
    const old = before.get(imageKey(a));
    return old !== undefined && old.drvPath !== a.drvPath;
  });
  const unchanged = [...after.values()].filter(
    (a) => before.get(imageKey(a))?.drvPath === a.drvPath,
  );
  lines.push(previous ? `## Changes since ${previous.version}` : '## First release', '');
  for (const a of added) lines.push(`- added ${a.file} (${mib(a.size)})`);
  for (const a of rebuilt) {
    const old = before.get(imageKey(a)) as Artifact;
    lines.push(
      `- rebuilt ${a.file}: ${mib(a.size)} (${delta(a.size - old.size)}), ` +
        `closure ${mib(a.closureSize)} (${delta(a.closureSize - old.closureSize)})`,
    );
  }
  for (const a of removed) lines.push(`- removed ${imageKey(a)}`);
  if (unchanged.length > 0) lines.push(`- unchanged: ${unchanged.map(imageKey).join(', ')}`);
  const missing = current.missing ?? [];
  if (missing.length > 0) {
    lines.push('', '## Missing from this release', '');
    for (const m of missing) lines.push(`- ${m.key}: ${m.status} (${oneLine(m.reason)})`);
  }
  lines.push('', '## Artifacts', '', '| file | size | closure | sha256 |', '|---|---|---|---|');
  for (const a of current.artifacts) {
    lines.push(`| ${a.file} | ${mib(a.size)} | ${mib(a.closureSize)} | \`${a.sha256}\` |`);
  }
  lines.push('', 'Verify with `sha256sum -c SHA256SUMS`.', '');
  return lines.join('\n');
}

/**
 * One manifest from the per-system manifests of one release (CI builds each
 * system on its own runner). They must agree on version and source; an
 * artifact file that two parts list with different contents is an error.
 */
export function mergeManifests(parts: readonly Manifest[]): Manifest {
  const [first, ...rest] = parts;
  if (!first) throw new Error('nothing to merge');
  for (const p of rest) {
    if (p.version !== first.version)
      throw new Error(`versions differ: ${first.version} and ${p.version}`);
    if (p.git && first.git && p.git.revision !== first.git.revision) {
      throw new Error(
        `built from different revisions: ${first.git.revision} and ${p.git.revision}`,
      );
    }
  }
  const byFile = new Map<string, Artifact>();
  for (const a of parts.flatMap((p) => p.artifacts)) {
    const seen = byFile.get(a.file);
    if (seen && seen.sha256 !== a.sha256)
      throw new Error(`${a.file} differs between parts (${seen.sha256} vs ${a.sha256})`);
    byFile.set(a.file, a);
  }
  const gits = parts.map((p) => p.git).filter((g) => g !== null);
  const present = new Set([...byFile.values()].map(imageKey));
  const missing = new Map<string, MissingImage>();
  for (const m of parts.flatMap((p) => p.missing ?? [])) {
    if (!present.has(m.key)) missing.set(m.key, m);
  }
  return {
    ...first,
    createdAt:
      parts
        .map((p) => p.createdAt)
        .sort()
        .at(-1) ?? first.createdAt,
    git: gits[0] ? { revision: gits[0].revision, dirty: gits.some((g) => g.dirty) } : null,
    artifacts: [...byFile.values()].sort((a, b) => a.file.localeCompare(b.file)),
    ...(missing.size > 0 || first.missing ? { missing: [...missing.values()] } : {}),
  };
}
