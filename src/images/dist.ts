// The dist/ directory: dist/<version>/ holds artifacts, SHA256SUMS and
// manifest.json (written last, so its presence means "complete"); dist/logs/
// holds one log per image; release.json in a version directory records that
// it was published. A lock file keeps two builds from writing at once.
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../command.js';
import { exists, writeFileAtomic } from '../io/files.js';
import { asManifest, type Manifest } from './manifest.js';
import { compareVersionStrings, isSafeVersion } from './version.js';

export const MANIFEST = 'manifest.json';
export const SUMS = 'SHA256SUMS';
export const RELEASE_RECORD = 'release.json';
export const NOTES = 'RELEASE-NOTES.md';
const LOCK = '.crossflake.lock';

export interface ReleaseRecord {
  tag: string;
  targets: string[];
  releasedAt: string;
}

export interface DistVersion {
  version: string;
  dir: string;
  manifest: Manifest;
  release: ReleaseRecord | null;
}

export function versionDir(dist: string, version: string): string {
  if (!isSafeVersion(version)) throw new UserError(`'${version}' is not a valid version`);
  return join(dist, version);
}

export function logsDir(dist: string): string {
  return join(dist, 'logs');
}

async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch {
    return null;
  }
}

export async function readManifest(dir: string): Promise<Manifest | null> {
  return asManifest(await readJson(join(dir, MANIFEST)));
}

/** Every complete version in dist/, oldest first. */
export async function listVersions(dist: string): Promise<DistVersion[]> {
  if (!(await exists(dist))) return [];
  const found: DistVersion[] = [];
  for (const entry of await readdir(dist, { withFileTypes: true })) {
    if (!entry.isDirectory() || !isSafeVersion(entry.name)) continue;
    const dir = join(dist, entry.name);
    const manifest = await readManifest(dir);
    if (!manifest) continue;
    const release = (await readJson(join(dir, RELEASE_RECORD))) as ReleaseRecord | null;
    found.push({ version: entry.name, dir, manifest, release: release?.tag ? release : null });
  }
  return found.sort((a, b) => compareVersionStrings(a.version, b.version));
}

export async function recordRelease(dir: string, record: ReleaseRecord): Promise<void> {
  await writeFileAtomic(join(dir, RELEASE_RECORD), `${JSON.stringify(record, null, 2)}\n`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes dist/.crossflake.lock for this process. A lock left by a process that
 * no longer exists (killed) is taken over; a live one is an error.
 */
export async function lockDist(dist: string): Promise<() => Promise<void>> {
  const path = join(dist, LOCK);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(path, `${process.pid}\n`, { flag: 'wx' });
      return () => rm(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
      if (Number.isInteger(pid) && pid !== process.pid && alive(pid)) {
        throw new UserError(
          `${dist} is in use by crossflake process ${pid}; wait for it to finish`,
        );
      }
      await rm(path, { force: true });
    }
  }
  throw new UserError(`cannot lock ${dist}`);
}
