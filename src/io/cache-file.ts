// Reading and writing one cache entry. A cache only saves time: a missing or
// unreadable entry reads as null, and a write that fails is dropped. Entries
// are private to their owner (they may name people and hosts) and written
// atomically, so a reader never sees half of one.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** A run killed while writing leaves a temp file; another run's fresh one is left alone. */
const STALE_TEMP_MS = 10 * 60 * 1000;

export function readCacheFile(path: string): Buffer | null {
  try {
    return readFileSync(path);
  } catch {
    return null;
  }
}

export async function writeCacheFile(path: string, data: string | Uint8Array): Promise<void> {
  try {
    // Loaded here: a run that only reads the cache never needs them.
    const { mkdir } = await import('node:fs/promises');
    const { writeFileAtomic } = await import('./files.js');
    const dir = dirname(path);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await sweepStaleTemps(dir);
    await writeFileAtomic(path, data, { mode: 0o600 });
  } catch {
    // A read-only or full cache directory makes the next run slower, nothing else.
  }
}

async function sweepStaleTemps(dir: string): Promise<void> {
  const { readdir, stat, unlink } = await import('node:fs/promises');
  const { isTempName } = await import('./files.js');
  for (const name of await readdir(dir)) {
    if (!isTempName(name)) continue;
    const path = join(dir, name);
    const info = await stat(path).catch(() => null);
    if (info && Date.now() - info.mtimeMs > STALE_TEMP_MS) await unlink(path).catch(() => {});
  }
}
