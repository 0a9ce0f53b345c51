// What the privacy gate reads in one published file: the file itself, or
// every member of a tar (plain, gzip, xz, zstd or bzip2; a tar inside a tar,
// as in a docker image's layers, is read too). Each member's name and bytes
// are searched for the team's personal identifiers and this machine's
// absolute paths, and its text for secrets with the one detector
// (src/secrets). A disk image or other container the gate cannot look into
// is reported as unscanned: never as clean.
import { open } from 'node:fs/promises';
import { Buffer } from 'node:buffer';
import { compressionOf, decompressed, UnreadableError } from '../io/decompress.js';
import { createReadStream } from 'node:fs';
import { isBinary } from '../io/text-files.js';
import { scanSecrets } from '../secrets/index.js';
import { isTarHeader, TarReader } from './tar.js';

export interface PrivacyHit {
  /** The published file (in dist/<version>/). */
  artifact: string;
  where: 'closure' | 'member-name' | 'member-content' | 'file';
  /** The member of a tar (`layer.tar/etc/x` inside a nested tar), or '' for the file itself. */
  path: string;
  kind: 'identifier' | 'local-path' | 'secret' | 'unscanned';
  /** The identifier, the local path, the masked secret, or why the file was not read. Never a secret. */
  text: string;
  /** 1-based line of a secret in its member or file. */
  line?: number;
}

export interface Needles {
  identifiers: readonly string[];
  /** This machine's absolute paths (repository, flake, dist): never in a published file. */
  localPaths: readonly string[];
  /** Also flag any absolute path outside /nix/store (manifest, notes, sums: none belongs there). */
  anyAbsolutePath: boolean;
}

/**
 * Finds needles in bytes as they stream past, including one that straddles
 * two chunks (the tail of the previous chunk is kept).
 */
export class ContentMatcher {
  private tail = Buffer.alloc(0);
  private readonly found = new Set<string>();
  private readonly needles: Buffer[];
  private readonly keep: number;

  constructor(private readonly strings: readonly string[]) {
    this.needles = strings.map((i) => Buffer.from(i, 'utf8'));
    this.keep = Math.max(0, ...this.needles.map((n) => n.length - 1));
  }

  push(chunk: Buffer): void {
    const window = this.tail.length ? Buffer.concat([this.tail, chunk]) : chunk;
    this.needles.forEach((needle, i) => {
      const s = this.strings[i] as string;
      if (!this.found.has(s) && window.includes(needle)) this.found.add(s);
    });
    this.tail = Buffer.from(window.subarray(Math.max(0, window.length - this.keep)));
  }

  hits(): string[] {
    return [...this.found];
  }
}

// An absolute path of two or more segments that does not continue a word,
// a URL (`https://host/x`) or another path; `file:///x` is found by its own
// alternative; a Windows profile path also as JSON escapes it (`C:\\Users`).
// Nix store paths are public and expected in a manifest.
const ABSOLUTE_PATH =
  /file:\/\/(\/[\w.@+-]+(?:\/[\w.@+-]+)+)|(?<![\w.~/\\-])(\/[\w.@+-]+(?:\/[\w.@+-]+)+)|\b([A-Za-z]:\\\\?(?:Users|Documents and Settings)\\\\?[^\\\s"']+)/g;

export function absolutePaths(text: string): string[] {
  const out = new Set<string>();
  ABSOLUTE_PATH.lastIndex = 0;
  for (let m = ABSOLUTE_PATH.exec(text); m; m = ABSOLUTE_PATH.exec(text)) {
    const path = m[1] ?? m[2] ?? m[3] ?? '';
    if (!path.startsWith('/nix/store/')) out.add(path);
  }
  return [...out];
}

const WINDOW = 1024 * 1024;
const OVERLAP = 4096;

/**
 * Secrets in a stream of text, scanned in windows of 1 MiB that overlap by
 * 4 KiB, so a secret split between two chunks is still seen (once).
 */
class SecretStream {
  private pending: Buffer[] = [];
  private pendingLength = 0;
  private carry = Buffer.alloc(0);
  /** Lines before the carry's first byte. */
  private linesBefore = 0;
  private windowEnd = 0;
  private decided: 'text' | 'binary' | null = null;
  private head = Buffer.alloc(0);
  readonly found: { line: number; text: string }[] = [];

  push(chunk: Buffer): void {
    if (this.decided === 'binary') return;
    if (this.decided === null) {
      this.head = Buffer.concat([this.head, chunk]);
      if (isBinary(this.head)) {
        this.decided = 'binary';
        return;
      }
      if (this.head.length >= 8192) this.decided = 'text';
    }
    this.pending.push(chunk);
    this.pendingLength += chunk.length;
    if (this.pendingLength >= WINDOW) this.flush();
  }

  finish(): void {
    if (this.decided !== 'binary' && this.pendingLength > 0) this.flush();
  }

  private flush(): void {
    const window = Buffer.concat([this.carry, ...this.pending]);
    const start = this.windowEnd - this.carry.length;
    const previousEnd = this.windowEnd;
    for (const f of scanSecrets(window)) {
      // Wholly inside the previous window: it was seen there.
      if (start + f.end <= previousEnd && previousEnd > 0) continue;
      this.found.push({ line: this.linesBefore + f.line, text: f.masked });
    }
    this.windowEnd = start + window.length;
    const keep = Math.min(OVERLAP, window.length);
    this.linesBefore += countLines(window.subarray(0, window.length - keep));
    this.carry = Buffer.from(window.subarray(window.length - keep));
    this.pending = [];
    this.pendingLength = 0;
  }
}

function countLines(bytes: Buffer): number {
  let n = 0;
  for (let i = bytes.indexOf(10); i !== -1; i = bytes.indexOf(10, i + 1)) n++;
  return n;
}

/** Scans one member's (or one plain file's) bytes; a tar inside is read member by member. */
class ContentScanner {
  private readonly matcher: ContentMatcher;
  private readonly secrets = new SecretStream();
  private readonly small: Buffer[] = [];
  private smallLength = 0;
  private nested: TarScanner | null = null;
  /** The first bytes, until there are 512 of them (null once decided). */
  private head: Buffer | null = Buffer.alloc(0);

  constructor(
    private readonly artifact: string,
    private readonly path: string,
    private readonly needles: Needles,
    private readonly out: PrivacyHit[],
  ) {
    this.matcher = new ContentMatcher([...needles.identifiers, ...needles.localPaths]);
  }

  push(chunk: Buffer): void {
    if (this.head !== null) {
      // Hold the first block back until it can tell whether this member is a tar.
      this.head = Buffer.concat([this.head, chunk]);
      if (this.head.length < 512) return;
      chunk = this.head;
      this.head = null;
      if (isTarHeader(chunk)) {
        const prefix = this.path ? `${this.path}/` : '';
        this.nested = new TarScanner(this.artifact, prefix, this.needles, this.out);
      }
    }
    if (this.nested) {
      this.nested.push(chunk);
      return;
    }
    this.matcher.push(chunk);
    this.secrets.push(chunk);
    if (this.needles.anyAbsolutePath && this.smallLength < WINDOW) {
      this.small.push(chunk);
      this.smallLength += chunk.length;
    }
  }

  finish(): void {
    if (this.head !== null) {
      // Shorter than a tar header: scanned as it is.
      const rest = this.head;
      this.head = null;
      if (rest.length > 0) this.push(rest);
    }
    if (this.nested) {
      this.nested.finish();
      return;
    }
    this.secrets.finish();
    const where = this.path ? 'member-content' : 'file';
    const base = { artifact: this.artifact, where, path: this.path } as const;
    for (const hit of this.matcher.hits()) {
      const kind = this.needles.identifiers.includes(hit) ? 'identifier' : 'local-path';
      this.out.push({ ...base, kind, text: hit });
    }
    for (const s of this.secrets.found)
      this.out.push({ ...base, kind: 'secret', text: s.text, line: s.line });
    if (this.needles.anyAbsolutePath) {
      const text = Buffer.concat(this.small).toString('utf8');
      for (const p of absolutePaths(text)) {
        if (!this.needles.localPaths.includes(p))
          this.out.push({ ...base, kind: 'local-path', text: p });
      }
    }
  }
}

/** Reads a tar stream member by member; pure (chunks in, hits out). */
class TarScanner {
  private current: ContentScanner | null = null;
  private readonly reader: TarReader;

  constructor(artifact: string, prefix: string, needles: Needles, out: PrivacyHit[]) {
    this.reader = new TarReader({
      entry: (name, type) => {
        this.current?.finish();
        this.current = null;
        const path = `${prefix}${name}`;
        for (const id of needles.identifiers.filter((i) => path.includes(i)))
          out.push({ artifact, where: 'member-name', path, kind: 'identifier', text: id });
        for (const p of needles.localPaths.filter((i) => path.includes(i)))
          out.push({ artifact, where: 'member-name', path, kind: 'local-path', text: p });
        for (const s of scanSecrets(path))
          out.push({
            artifact,
            where: 'member-name',
            path: '(masked)',
            kind: 'secret',
            text: s.masked,
          });
        // Regular files only: a link's target is in its header, not its body.
        if (type === '0' || type === '7')
          this.current = new ContentScanner(artifact, path, needles, out);
      },
      data: (_name, chunk) => this.current?.push(chunk),
    });
  }

  push(chunk: Buffer): void {
    this.reader.push(chunk);
  }

  finish(): void {
    this.current?.finish();
    this.current = null;
  }
}

/** Disk images and archives the gate cannot look into, by their magic bytes. */
export function containerFormat(head: Buffer): string | null {
  const at = (offset: number, magic: string) =>
    head.subarray(offset, offset + magic.length).toString('latin1') === magic;
  if (at(0, 'QFI\xfb')) return 'qcow2 disk image';
  if (at(0, 'KDMV') || at(0, '# Disk DescriptorFile')) return 'VMDK disk image';
  if (at(0, 'vhdxfile')) return 'VHDX disk image';
  if (at(0, 'conectix')) return 'VHD disk image';
  if (at(0x8001, 'CD001') || at(0x9001, 'CD001')) return 'ISO 9660 image';
  if (at(0, 'PK\x03\x04')) return 'zip archive';
  if (at(0, 'hsqs') || at(0, 'sqsh')) return 'squashfs image';
  if (at(0, '7z\xbc\xaf\x27\x1c')) return '7z archive';
  if (at(512, 'EFI PART')) return 'GPT disk image';
  if (at(1080, '\x53\xef')) return 'ext2/3/4 file system';
  if (head[510] === 0x55 && head[511] === 0xaa) return 'MBR disk image';
  return null;
}

const HEAD = 64 * 1024;

async function readHead(path: string): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(HEAD), 0, HEAD, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** Re-chunks a stream so that the first chunk holds at least `size` bytes (or all there is). */
async function* withHead(source: AsyncIterable<Buffer>, size: number): AsyncGenerator<Buffer> {
  let head = Buffer.alloc(0);
  for await (const chunk of source) {
    if (head.length >= size) {
      yield chunk;
      continue;
    }
    head = Buffer.concat([head, chunk]);
    if (head.length >= size) yield head;
  }
  if (head.length > 0 && head.length < size) yield head;
}

async function* raw(path: string): AsyncGenerator<Buffer> {
  const stream = createReadStream(path, { highWaterMark: 1024 * 1024 });
  try {
    for await (const chunk of stream) yield chunk as Buffer;
  } finally {
    stream.destroy();
  }
}

/** Scans a stream whose first chunk holds the head: a tar member by member, a container as unscanned, else plain. */
async function scanStream(
  chunks: AsyncIterable<Buffer>,
  artifact: string,
  needles: Needles,
  what: string,
): Promise<PrivacyHit[]> {
  const out: PrivacyHit[] = [];
  let scanner: TarScanner | ContentScanner | null = null;
  for await (const chunk of withHead(chunks, HEAD)) {
    if (!scanner) {
      const format = isTarHeader(chunk) ? null : containerFormat(chunk);
      if (format) {
        return [{ artifact, where: 'file', path: '', kind: 'unscanned', text: `${what}${format}` }];
      }
      scanner = isTarHeader(chunk)
        ? new TarScanner(artifact, '', needles, out)
        : new ContentScanner(artifact, '', needles, out);
    }
    scanner.push(chunk);
  }
  scanner?.finish();
  return out;
}

/** Every privacy hit in one published file (`name` is how it is published). */
export async function scanPublishedFile(
  path: string,
  name: string,
  needles: Needles,
): Promise<PrivacyHit[]> {
  const compression = compressionOf(await readHead(path));
  try {
    if (compression === null) return await scanStream(raw(path), name, needles, '');
    return await scanStream(
      decompressed(path, compression),
      name,
      needles,
      `${compression}-compressed `,
    );
  } catch (error) {
    if (!(error instanceof UnreadableError)) throw error;
    return [{ artifact: name, where: 'file', path: '', kind: 'unscanned', text: error.message }];
  }
}
