// Standard output and error written straight to their file descriptors when
// they are a file, a pipe (a socket pair, when a Node parent spawned us) or
// /dev/null. Making process.stdout loads Node's
// stream code, and for a pipe its socket code too: a few milliseconds of every
// run, more than `--help` or `init` spend on their own work. A terminal (a
// prompt's readline needs the real stream) or anything else gets the real
// stream, made when first used.
import { fstatSync, statSync, writeSync } from 'node:fs';

export interface DirectWriter {
  write(chunk: string | Uint8Array): boolean;
  readonly isTTY: false;
}

/**
 * Whether `fd` can be written with plain write(2) calls in order: a regular
 * file, a pipe or socket, or /dev/null (what Node itself writes synchronously
 * on Linux).
 * Never on Windows, where the console and pipes need Node's handling.
 */
export function writesDirectly(fd: number, platform: NodeJS.Platform = process.platform): boolean {
  if (platform === 'win32') return false;
  try {
    const info = fstatSync(fd);
    if (info.isFile() || info.isFIFO() || info.isSocket()) return true;
    return info.isCharacterDevice() && info.rdev === statSync('/dev/null').rdev;
  } catch {
    return false;
  }
}

/**
 * A writer for `fd` that loops until every byte is written. A pipe left
 * non-blocking by another process (EAGAIN) hands the rest, and every later
 * write, to the real stream, which waits for the reader; a reader that went
 * away (EPIPE) is `onClosed`'s to handle, as the stream's error would be.
 */
export function directWriter(
  fd: number,
  stream: () => { write(chunk: string | Uint8Array): boolean },
  onClosed: () => void,
  write: (fd: number, bytes: Uint8Array, offset: number, length: number) => number = writeSync,
): DirectWriter {
  let fallback: { write(chunk: string | Uint8Array): boolean } | null = null;
  return {
    isTTY: false,
    write(chunk: string | Uint8Array): boolean {
      if (fallback) return fallback.write(chunk);
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      let done = 0;
      while (done < bytes.length) {
        try {
          done += write(fd, bytes, done, bytes.length - done);
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          if (code === 'EAGAIN') {
            fallback = stream();
            return fallback.write(bytes.subarray(done));
          }
          if (code === 'EPIPE') {
            onClosed();
            return false;
          }
          throw error;
        }
      }
      return true;
    },
  };
}
