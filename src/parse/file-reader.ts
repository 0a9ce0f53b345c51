// Reading thousands of small files in a row, the way `crossflake parse` checks
// them: into one buffer that is kept from file to file (grown when a file is
// larger), with no fstat and no new buffer per file as readFileSync has. Only
// the byte string the parser reads is made from it.
import { closeSync, constants, openSync, readSync } from 'node:fs';

/** Where a reader starts; most Nix files fit, and the buffer grows for the rest. */
export const INITIAL_BYTES = 256 * 1024;

export class FileReader {
  private buf: Buffer;

  constructor(initialBytes = INITIAL_BYTES) {
    this.buf = Buffer.allocUnsafe(Math.max(1, initialBytes));
  }

  /**
   * The whole file as a byte string (one char per byte, see nixlang/source.ts).
   * Throws what open or read throws (ENOENT, EISDIR, EACCES ...).
   */
  readByteString(path: string): string {
    const fd = openSync(path, constants.O_RDONLY);
    let n = 0;
    try {
      // Until a read returns nothing: a file can grow while it is read.
      for (;;) {
        if (n === this.buf.length) this.grow(n);
        const got = readSync(fd, this.buf, n, this.buf.length - n, null);
        if (got === 0) break;
        n += got;
      }
    } finally {
      closeSync(fd);
    }
    return this.buf.toString('latin1', 0, n);
  }

  private grow(keep: number): void {
    const bigger = Buffer.allocUnsafe(this.buf.length * 2);
    this.buf.copy(bigger, 0, 0, keep);
    this.buf = bigger;
  }
}
