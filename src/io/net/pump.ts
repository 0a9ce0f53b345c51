// Moving a response body to disk at full speed without losing bytes: the
// body is read in flowing mode (each chunk taken as it arrives, so a drop
// right behind it keeps what came), held in memory only while the file is
// being opened, then written by a file stream that pauses the body when the
// disk falls behind.
import type { Readable, Writable } from 'node:stream';

/** Bytes held while the file opens, and the write stream's buffer (small: drains come often, so reading and writing overlap). */
export const WRITE_BUFFER = 1024 * 1024;

/**
 * Where chunks go: held in memory until the file is open (a few
 * milliseconds), then the file's write stream.
 */
export class Sink {
  private out: Writable | null = null;
  private held: Buffer[] = [];
  private heldBytes = 0;
  private whenOpen: (() => void) | null = null;
  /** Told each chunk's length once the file has it (a crash test's kill point). */
  onWritten: ((bytes: number) => void) | null = null;
  /** A crash test's cut: bytes past this many are dropped (the process is about to be killed). */
  dropAfter: number | null = null;
  private taken = 0;

  private wrote(bytes: number): (() => void) | undefined {
    const tell = this.onWritten;
    return tell ? () => tell(bytes) : undefined;
  }

  /** false: stop sending until `onWritable` calls back. */
  write(chunk: Buffer): boolean {
    if (this.dropAfter !== null && this.taken >= this.dropAfter) return true;
    this.taken += chunk.length;
    if (this.out) return this.out.write(chunk, this.wrote(chunk.length));
    this.held.push(chunk);
    this.heldBytes += chunk.length;
    return this.heldBytes < WRITE_BUFFER;
  }

  onWritable(resume: () => void): void {
    if (this.out) this.out.once('drain', resume);
    else this.whenOpen = resume;
  }

  onError(fail: (error: Error) => void): void {
    this.failed = fail;
  }

  private failed: ((error: Error) => void) | null = null;

  attach(out: Writable): void {
    this.out = out;
    out.once('error', (error) => this.failed?.(error));
    for (const chunk of this.held) out.write(chunk, this.wrote(chunk.length));
    this.held = [];
    const resume = this.whenOpen;
    this.whenOpen = null;
    if (resume) {
      if (out.writableNeedDrain) out.once('drain', resume);
      else resume();
    }
  }
}

/**
 * Moves the body into `sink`, calling `seen` on each chunk as it arrives.
 * Flowing mode on purpose: a chunk is taken the moment it arrives, so when
 * the connection drops right behind it the bytes received are kept (an
 * async iterator would leave them in a buffer that the error discards).
 * Resolves with the body's error, if any.
 */
export function pump(
  body: Readable,
  sink: Sink,
  seen: (chunk: Buffer) => void,
): Promise<Error | null> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (error: Error | null) => {
      if (settled) return;
      settled = true;
      body.removeAllListeners('data');
      resolve(error);
    };
    if (body.destroyed) return finish(body.errored ?? new Error('the response body was closed'));
    body.on('data', (chunk: Buffer) => {
      seen(chunk);
      if (!sink.write(chunk)) {
        body.pause();
        sink.onWritable(() => body.resume());
      }
    });
    body.once('end', () => finish(null));
    body.once('error', (error) => finish(error));
    body.once('close', () =>
      finish(body.readableEnded ? null : new Error('the response body was closed')),
    );
    sink.onError((error) => {
      body.destroy();
      finish(error);
    });
  });
}
