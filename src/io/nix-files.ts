// Lists and reads every .nix file of a repository (the only file reading
// extract analyze does). Directories that never hold a user's configuration
// are pruned.
import { Buffer } from 'node:buffer';
import { closeSync, openSync, readdirSync, readSync, statSync, type Dirent } from 'node:fs';
import { join } from 'node:path';

// .cache: tool caches (this repository keeps its Node binaries and Wine prefix there).
const SKIP_DIRS = new Set(['.git', 'node_modules', '.direnv', 'result', '.jj', '.hg', '.cache']);

export interface ScannedFile {
  /** Relative to the root, '/'-separated. */
  path: string;
  bytes: Uint8Array;
}

/**
 * What `stat` says about a file: enough to tell that it was not touched since
 * it was last hashed, as git's index does (ctime changes on every write and
 * cannot be set back by a program).
 */
export interface FileStamp {
  path: string;
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
}

export function isDirectory(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

/** Every .nix file under `root`, relative and '/'-separated, sorted. */
export function listNixFiles(root: string): string[] {
  const paths: string[] = [];
  const stack = [''];
  while (stack.length > 0) {
    const rel = stack.pop()!;
    listDirectory(rel, readdirSync(join(root, rel), { withFileTypes: true }), stack, paths);
  }
  return paths.sort();
}

// One directory's entries, in a function of its own: as an inner loop, V8
// compiled it on the stack (OSR) and threw that code away at each exit from
// it, about 35 times per listing of a large tree.
function listDirectory(rel: string, entries: Dirent[], dirs: string[], paths: string[]): void {
  for (const entry of entries) {
    const child = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name) && !entry.name.startsWith('result-')) dirs.push(child);
    } else if (entry.isFile() && entry.name.endsWith('.nix')) {
      paths.push(child);
    }
  }
}

// Files are read into a few large shared blocks rather than a buffer each:
// on thousands of files the per-file allocation, the fstat that sizes it and
// path.join's normalising cost more than the reads, and a worker thread (the
// secret scan) can then read the same bytes without a copy.
const BLOCK_BYTES = 4 << 20;

class BlockWriter {
  private block: SharedArrayBuffer;
  private view: Uint8Array;
  private used = 0;

  constructor(private readonly blockBytes: number) {
    this.block = new SharedArrayBuffer(blockBytes);
    this.view = new Uint8Array(this.block);
  }

  /** The bytes of one open file, read to its end. */
  readFile(fd: number): Buffer {
    let length = 0;
    for (;;) {
      // A full block gives no room to tell the end of the file from a
      // short read: move the file so far to a block with room.
      if (this.used + length === this.view.length) this.grow(length);
      const n = readSync(
        fd,
        this.view,
        this.used + length,
        this.view.length - this.used - length,
        null,
      );
      if (n === 0) break;
      length += n;
    }
    const bytes = Buffer.from(this.block, this.used, length);
    this.used += length;
    return bytes;
  }

  /** A new block holding the `length` bytes read so far of the current file. */
  private grow(length: number): void {
    const block = new SharedArrayBuffer(Math.max(this.blockBytes, length * 2));
    const view = new Uint8Array(block);
    view.set(this.view.subarray(this.used, this.used + length));
    this.block = block;
    this.view = view;
    this.used = 0;
  }
}

// Plain concatenation with this prefix: path.join's normalising costs more
// than a stat on thousands of files, and the listed paths are already clean
// ('/' works on Windows).
function dirPrefix(root: string): string {
  return root.endsWith('/') || root.endsWith('\\') ? root : `${root}/`;
}

// Synchronous on purpose: thousands of small files read faster one after the
// other than through thousands of promises.
export function readNixFiles(
  root: string,
  paths: string[],
  blockBytes = BLOCK_BYTES,
): ScannedFile[] {
  const base = dirPrefix(root);
  const blocks = new BlockWriter(blockBytes);
  return paths.map((path) => {
    const fd = openSync(base + path, 'r');
    try {
      return { path, bytes: blocks.readFile(fd) };
    } finally {
      closeSync(fd);
    }
  });
}

export function stampNixFiles(root: string, paths: string[]): FileStamp[] {
  const base = dirPrefix(root);
  return paths.map((path) => {
    const s = statSync(base + path);
    return { path, size: s.size, mtimeMs: s.mtimeMs, ctimeMs: s.ctimeMs, ino: s.ino };
  });
}

export function scanNixFiles(root: string): Promise<ScannedFile[]> {
  return Promise.resolve(readNixFiles(root, listNixFiles(root)));
}
