// manifest.json and SHA256SUMS: what a build produced, written last so that a
// directory with a manifest is always complete. Plus the release notes, which
// are a diff of two manifests. All pure.
import { imageKey, type ImageKind } from './matrix.js';

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
}

/** `sha256sum -c` format: hash, two spaces (text mode), file name; sorted by name. */
export function renderSha256Sums(artifacts: readonly Pick<Artifact, 'file' | 'sha256'>[]): string {
  return [...artifacts]
    .sort((a, b) => a.file.localeCompare(b.file))
    .map((a) => `${a.sha256}  ${a.file}\n`)
    .join('');
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

/** Checks a parsed manifest.json enough to trust its artifact list; null when it is not one. */
export function asManifest(data: unknown): Manifest | null {
  const m = data as Partial<Manifest> | null;
  if (!m || m.schema !== MANIFEST_SCHEMA || typeof m.version !== 'string') return null;
  if (!Array.isArray(m.artifacts)) return null;
  const ok = m.artifacts.every(
    (a) =>
      typeof a?.file === 'string' &&
      /^[0-9a-f]{64}$/.test(a.sha256) &&
      typeof a.drvPath === 'string' &&
      typeof a.size === 'number' &&
      !a.file.includes('/'),
  );
  return ok ? (m as Manifest) : null;
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
  return {
    ...first,
    createdAt:
      parts
        .map((p) => p.createdAt)
        .sort()
        .at(-1) ?? first.createdAt,
    git: gits[0] ? { revision: gits[0].revision, dirty: gits.some((g) => g.dirty) } : null,
    artifacts: [...byFile.values()].sort((a, b) => a.file.localeCompare(b.file)),
  };
}
