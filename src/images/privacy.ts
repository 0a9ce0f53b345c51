// The privacy gate before a release. Every file about to be published (the
// artifacts, SHA256SUMS, manifest.json, the release notes) is read, tar
// members included (src/images/privacy-scan.ts), and must hold none of:
// the team's personal identifiers (crossflake.json privacy.identifiers, also
// searched in each artifact's closure file list), a secret (the one detector,
// src/secrets), an absolute path of this machine (the repository, the flake,
// dist/; in the manifest, sums and notes any absolute path outside
// /nix/store). A file the gate cannot read (a disk image, a container it
// does not know) stops the release unless --allow-unscanned names it.
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { UserError } from '../command.js';
import { walkTree } from '../io/files.js';
import { nixPathInfo, type NixCallOptions } from '../io/nix.js';
import type { ImagesContext } from './command.js';
import { MANIFEST, NOTES, SUMS, type DistVersion } from './dist.js';
import { scanPublishedFile, type Needles, type PrivacyHit } from './privacy-scan.js';
import { list, nixOptions } from './subcommands.js';

export { ContentMatcher, scanPublishedFile, type PrivacyHit } from './privacy-scan.js';

export const TEAM_CONFIG = 'crossflake.json';

/** `privacy.identifiers` of the team config (crossflake.json at the repo root); [] when absent. */
export async function readPrivacyIdentifiers(root: string): Promise<string[]> {
  const path = join(root, TEAM_CONFIG);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return [];
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UserError(`${path}: not JSON: ${(error as Error).message}`);
  }
  const ids = (data as { privacy?: { identifiers?: unknown } })?.privacy?.identifiers;
  if (ids === undefined) return [];
  if (!Array.isArray(ids) || !ids.every((i) => typeof i === 'string' && i.trim() !== '')) {
    throw new UserError(`${path}: privacy.identifiers must be a list of non-empty strings`);
  }
  return ids as string[];
}

/** Identifiers that occur in `text` (exact, case-sensitive). */
export function identifiersIn(text: string, identifiers: readonly string[]): string[] {
  return identifiers.filter((id) => text.includes(id));
}

/** Every file path of the closure of `outPath` that contains an identifier. */
export async function scanClosure(
  outPath: string,
  identifiers: readonly string[],
  artifact: string,
  nix: NixCallOptions,
): Promise<PrivacyHit[]> {
  const hits: PrivacyHit[] = [];
  const paths = await nixPathInfo([outPath], { recursive: true }, nix);
  for (const { path: storePath } of paths) {
    for await (const entry of walkTree(storePath)) {
      const full = entry.path ? `${storePath}/${entry.path}` : storePath;
      for (const identifier of identifiersIn(full, identifiers)) {
        hits.push({ artifact, where: 'closure', path: full, kind: 'identifier', text: identifier });
      }
    }
  }
  return hits;
}

/** A path worth looking for: absolute, at least two segments deep (not `/tmp` alone). */
export function distinctivePath(path: string): boolean {
  return /^\/[^/]+\/[^/]+/.test(path) || /^[A-Za-z]:\\[^\\]+\\[^\\]+/.test(path);
}

/** This machine's paths that a build could leak: the repository, the flake, dist/, the working directory. */
export function localPaths(paths: readonly (string | null)[]): string[] {
  const out = new Set<string>();
  for (const p of paths) if (p && distinctivePath(p)) out.add(p.replace(/[/\\]+$/, ''));
  return [...out];
}

export interface Allowed {
  identifiers: readonly string[];
  /** Published file names the gate may not read (--allow-unscanned). */
  unscanned: readonly string[];
}

export interface GateResult {
  blocking: PrivacyHit[];
  allowed: PrivacyHit[];
}

/** Splits hits into those the --allow-* flags accept and those that stop the release. */
export function gate(hits: readonly PrivacyHit[], allow: Allowed): GateResult {
  const ok = (h: PrivacyHit): boolean =>
    (h.kind === 'identifier' && allow.identifiers.includes(h.text)) ||
    (h.kind === 'unscanned' && allow.unscanned.includes(h.artifact));
  return { blocking: hits.filter((h) => !ok(h)), allowed: hits.filter(ok) };
}

const WHERE: Record<PrivacyHit['where'], string> = {
  closure: 'closure',
  'member-name': 'tar member name',
  'member-content': 'tar member content',
  file: 'the file',
};

function describeHit(h: PrivacyHit): string {
  const place = `${WHERE[h.where]}${h.path ? ` ${h.path}` : ''}${h.line ? ` line ${h.line}` : ''}`;
  switch (h.kind) {
    case 'identifier':
      return `'${h.text}' in ${place}`;
    case 'local-path':
      return `the local path ${h.text} in ${place}`;
    case 'secret':
      return `a secret ${h.text} in ${place}`;
    case 'unscanned':
      return `could not be read (${h.text})`;
  }
}

export function describeHits(hits: readonly PrivacyHit[], limit = 20): string {
  const lines = hits.slice(0, limit).map((h) => `  ${h.artifact}: ${describeHit(h)}`);
  if (hits.length > limit) lines.push(`  ... and ${hits.length - limit} more`);
  return lines.join('\n');
}

/** What to do about the blocking hits, one sentence per kind. */
function remedies(blocking: readonly PrivacyHit[]): string[] {
  const of = (kind: PrivacyHit['kind']) => blocking.filter((h) => h.kind === kind);
  const out: string[] = [];
  const ids = [...new Set(of('identifier').map((h) => h.text))];
  if (ids.length > 0)
    out.push(
      `Remove the identifiers from the configuration, or accept them with ${ids.map((i) => `--allow-identifier ${i}`).join(' ')}`,
    );
  if (of('secret').length > 0)
    out.push('Move the secrets out of the configuration (sops-nix, agenix) and build again');
  if (of('local-path').length > 0)
    out.push(
      "Keep this machine's paths out of the build (no toString of a local path) and build again",
    );
  const unscanned = [...new Set(of('unscanned').map((h) => h.artifact))];
  if (unscanned.length > 0)
    out.push(
      `Check these files yourself, then accept them with ${unscanned.map((a) => `--allow-unscanned ${a}`).join(' ')}`,
    );
  return out;
}

/** The files of a release, as they are published. */
export interface GatedFile {
  name: string;
  path: string;
}

const METADATA = new Set([SUMS, MANIFEST, NOTES]);

/**
 * Runs the gate on every file about to be published; prints why and returns
 * false when the release must stop.
 */
export async function privacyGate(
  ctx: ImagesContext,
  version: DistVersion,
  files: readonly GatedFile[],
  flake: { dir: string | null; root: string },
): Promise<boolean> {
  const identifiers = await readPrivacyIdentifiers(flake.root);
  const local = localPaths([flake.root, flake.dir, resolve(ctx.io.cwd, ctx.dist), ctx.io.cwd]);
  const nix = nixOptions(ctx);
  const hits: PrivacyHit[] = [];
  if (identifiers.length > 0) {
    for (const a of version.manifest.artifacts) {
      const [info] = await nixPathInfo([a.outPath], {}, nix);
      if (info?.valid) hits.push(...(await scanClosure(a.outPath, identifiers, a.file, nix)));
      else
        ctx.io.stderr.write(
          `warning: ${a.outPath} is not in the local store; its closure was not scanned\n`,
        );
    }
  }
  for (const f of files) {
    const needles: Needles = {
      identifiers,
      localPaths: local,
      anyAbsolutePath: METADATA.has(f.name),
    };
    hits.push(...(await scanPublishedFile(f.path, f.name, needles)));
  }
  const allow = {
    identifiers: list(ctx.opts, 'allow-identifier'),
    unscanned: list(ctx.opts, 'allow-unscanned'),
  };
  for (const name of allow.unscanned) {
    if (!files.some((f) => f.name === name))
      throw new UserError(`--allow-unscanned ${name}: no such file in this release`);
  }
  const { blocking } = gate(hits, allow);
  if (blocking.length === 0) return true;
  ctx.io.stderr.write(
    `crossflake images release: the privacy gate stopped the release; nothing was published:\n` +
      `${describeHits(blocking)}\n${remedies(blocking).join('\n')}\n`,
  );
  return false;
}
