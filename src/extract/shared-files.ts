// Files as a worker thread reads them: the shared blocks they sit in, and
// each file's place. Files read by readNixFiles already sit in shared blocks
// (src/io/nix-files.ts), so handing them over copies nothing; copying 1,672
// buffers into a worker's data cost the main thread 30 ms.

/** File `i` is `spans[3i+2]` bytes at `spans[3i+1]` of `blocks[spans[3i]]`. */
export interface SharedFiles {
  blocks: SharedArrayBuffer[];
  spans: Int32Array;
}

/** The files as shared blocks and spans; bytes not in a shared block are copied into one. */
export function sharedFiles(files: Uint8Array[]): SharedFiles {
  const blocks: SharedArrayBuffer[] = [];
  const index = new Map<SharedArrayBuffer, number>();
  const spans = new Int32Array(files.length * 3);
  const loose: number[] = [];
  let looseBytes = 0;
  files.forEach((f, i) => {
    if (f.buffer instanceof SharedArrayBuffer) {
      let b = index.get(f.buffer);
      if (b === undefined) index.set(f.buffer, (b = blocks.push(f.buffer) - 1));
      spans.set([b, f.byteOffset, f.byteLength], i * 3);
    } else {
      loose.push(i);
      looseBytes += f.byteLength;
    }
  });
  if (loose.length === 0) return { blocks, spans };
  const view = new Uint8Array(new SharedArrayBuffer(looseBytes));
  const b = blocks.push(view.buffer as SharedArrayBuffer) - 1;
  let at = 0;
  for (const i of loose) {
    view.set(files[i]!, at);
    spans.set([b, at, files[i]!.byteLength], i * 3);
    at += files[i]!.byteLength;
  }
  return { blocks, spans };
}

export function fileCount(files: SharedFiles): number {
  return files.spans.length / 3;
}

/** File `i`, as a view (no copy). */
export function fileOf(files: SharedFiles, i: number): Uint8Array {
  const s = files.spans;
  return new Uint8Array(files.blocks[s[3 * i]!]!, s[3 * i + 1]!, s[3 * i + 2]!);
}
