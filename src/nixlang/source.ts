// Source text handling. The parser works on a "byte string": the file's bytes,
// one JS char per byte (latin1 decoding), so string indices are byte offsets,
// invalid UTF-8 survives untouched, and printing the bytes back is lossless.
import { Buffer } from 'node:buffer';

/** Turn file bytes, or ordinary text, into the byte string the parser reads. */
export function toByteString(input: string | Uint8Array): string {
  if (typeof input !== 'string') {
    // A view, not a copy: files can be large and are read once.
    const view = Buffer.isBuffer(input)
      ? input
      : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
    return view.toString('latin1');
  }
  // Pure ASCII text is already its own byte string.
  for (let i = 0; i < input.length; i++) {
    if (input.charCodeAt(i) > 127) return Buffer.from(input, 'utf8').toString('latin1');
  }
  return input;
}

/** Decode a byte string (a name, a string value, a slice) as UTF-8 text. */
export function decode(bytes: string): string {
  for (let i = 0; i < bytes.length; i++) {
    if (bytes.charCodeAt(i) > 127) return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return bytes;
}

/** The bytes of a byte string, e.g. to write printed output unchanged. */
export function toBytes(bytes: string): Buffer {
  return Buffer.from(bytes, 'latin1');
}

/** Maps byte offsets to 1-based line and column. */
export class LineIndex {
  private readonly lineStarts: number[] = [0];

  constructor(source: string) {
    let i = source.indexOf('\n');
    while (i >= 0) {
      this.lineStarts.push(i + 1);
      i = source.indexOf('\n', i + 1);
    }
  }

  position(offset: number): { line: number; column: number } {
    const starts = this.lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - starts[lo]! + 1 };
  }
}
