// Writes and sweeps crossflake's Windows Terminal fragments in one folder.
// Only files carrying our marker are ever removed.
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../io/files.js';
import {
  fragmentFileName,
  orphanFragments,
  renderFragment,
  type RegisteredDistro,
} from './terminal.js';

export async function writeFragment(
  dir: string,
  distro: RegisteredDistro,
  wslExe: string,
  version: string,
): Promise<string> {
  const file = join(dir, fragmentFileName(distro.guid));
  // Terminal reads fragments as UTF-8 JSON.
  await writeFileAtomic(
    file,
    `${JSON.stringify(renderFragment(distro, wslExe, version), null, 2)}\n`,
  );
  return file;
}

/** Removes our fragments for distros that are gone; returns the removed file names. */
export async function removeOrphanFragments(
  dir: string,
  registered: readonly RegisteredDistro[],
): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const files = await Promise.all(
    names
      .filter((n) => n.endsWith('.json'))
      .map(async (name) => ({ name, content: await readFile(join(dir, name), 'utf8') })),
  );
  const orphans = orphanFragments(files, registered);
  for (const name of orphans) await rm(join(dir, name), { force: true });
  return orphans;
}
