// The privacy gate before a release: personal identifiers (user names,
// e-mails, home paths listed in the team config) must not ship inside an
// image. It scans each artifact's closure file list, and for tar-based
// formats (WSL tarball, container) every member's name and content.
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';
import { UserError } from '../command.js';
import { walkTree } from '../io/files.js';
import { nixPathInfo, type NixCallOptions } from '../io/nix.js';
import { TarReader, isTarHeader } from './tar.js';

export const TEAM_CONFIG = 'crossflake.json';

export interface IdentifierHit {
  /** The artifact file (in dist/<version>/). */
  artifact: string;
  where: 'closure' | 'tar-member-name' | 'tar-member-content';
  path: string;
  identifier: string;
}

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

/**
 * Finds identifiers in a member's bytes as they stream past, including one
 * that straddles two chunks (the tail of the previous chunk is kept).
 */
export class ContentMatcher {
  private tail = Buffer.alloc(0);
  private readonly found = new Set<string>();
  private readonly needles: Buffer[];
  private readonly keep: number;

  constructor(private readonly identifiers: readonly string[]) {
    this.needles = identifiers.map((i) => Buffer.from(i, 'utf8'));
    this.keep = Math.max(0, ...this.needles.map((n) => n.length - 1));
  }

  push(chunk: Buffer): void {
    const window = this.tail.length ? Buffer.concat([this.tail, chunk]) : chunk;
    this.needles.forEach((needle, i) => {
      if (!this.found.has(this.identifiers[i] as string) && window.includes(needle)) {
        this.found.add(this.identifiers[i] as string);
      }
    });
    this.tail = Buffer.from(window.subarray(Math.max(0, window.length - this.keep)));
  }

  hits(): string[] {
    return [...this.found];
  }
}

/** Scans a (possibly gzipped) tar stream; non-tar input yields no hits. */
export async function scanTarStream(
  chunks: AsyncIterable<Buffer>,
  identifiers: readonly string[],
  artifact: string,
): Promise<IdentifierHit[]> {
  const hits: IdentifierHit[] = [];
  const matchers = new Map<string, ContentMatcher>();
  const reader = new TarReader({
    entry(name) {
      for (const identifier of identifiersIn(name, identifiers)) {
        hits.push({ artifact, where: 'tar-member-name', path: name, identifier });
      }
      matchers.set(name, new ContentMatcher(identifiers));
    },
    data(name, chunk) {
      matchers.get(name)?.push(chunk);
    },
  });
  let first = true;
  for await (const chunk of chunks) {
    if (first && !isTarHeader(chunk)) return [];
    first = false;
    reader.push(chunk);
  }
  for (const [name, matcher] of matchers) {
    for (const identifier of matcher.hits()) {
      hits.push({ artifact, where: 'tar-member-content', path: name, identifier });
    }
  }
  return hits;
}

async function isGzip(path: string): Promise<boolean> {
  const handle = await import('node:fs/promises').then((fs) => fs.open(path, 'r'));
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

/** Re-chunks a stream so the first chunk holds a whole tar header block. */
async function* blocks(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let head = Buffer.alloc(0);
  for await (const chunk of source) {
    if (head.length >= 512) {
      yield chunk;
      continue;
    }
    head = Buffer.concat([head, chunk]);
    if (head.length >= 512) yield head;
  }
  if (head.length > 0 && head.length < 512) yield head;
}

export async function scanTarFile(
  path: string,
  identifiers: readonly string[],
  artifact: string,
): Promise<IdentifierHit[]> {
  const raw = createReadStream(path, { highWaterMark: 1024 * 1024 });
  const stream = (await isGzip(path)) ? raw.pipe(createGunzip()) : raw;
  try {
    return await scanTarStream(blocks(stream as AsyncIterable<Buffer>), identifiers, artifact);
  } catch {
    // Not a tar after all (or a format we cannot read): the closure scan still applies.
    return [];
  } finally {
    raw.destroy();
  }
}

/** Every file path of the closure of `outPath` that contains an identifier. */
export async function scanClosure(
  outPath: string,
  identifiers: readonly string[],
  artifact: string,
  nix: NixCallOptions,
): Promise<IdentifierHit[]> {
  const hits: IdentifierHit[] = [];
  const paths = await nixPathInfo([outPath], { recursive: true }, nix);
  for (const { path: storePath } of paths) {
    for await (const entry of walkTree(storePath)) {
      const full = entry.path ? `${storePath}/${entry.path}` : storePath;
      for (const identifier of identifiersIn(full, identifiers)) {
        hits.push({ artifact, where: 'closure', path: full, identifier });
      }
    }
  }
  return hits;
}

export interface GateResult {
  blocking: IdentifierHit[];
  allowed: IdentifierHit[];
}

/** Splits hits into those --allow-identifier accepts and those that stop the release. */
export function gate(hits: readonly IdentifierHit[], allow: readonly string[]): GateResult {
  const ok = new Set(allow);
  return {
    blocking: hits.filter((h) => !ok.has(h.identifier)),
    allowed: hits.filter((h) => ok.has(h.identifier)),
  };
}

export function describeHits(hits: readonly IdentifierHit[], limit = 20): string {
  const lines = hits
    .slice(0, limit)
    .map((h) => `  ${h.artifact}: '${h.identifier}' in ${h.where.replace(/-/g, ' ')} ${h.path}`);
  if (hits.length > limit) lines.push(`  ... and ${hits.length - limit} more`);
  return lines.join('\n');
}
