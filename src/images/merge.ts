// `crossflake images merge PART... --dist DIR`: joins the dist/ folders that
// per-system CI jobs built into one release set, verifying every artifact
// against its part's manifest and writing one SHA256SUMS and manifest.
import { mkdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { EXIT, UserError } from '../command.js';
import { copyFileHashing, exists, hashFile, writeFileAtomic } from '../io/files.js';
import type { ImagesContext } from './command.js';
import { listVersions, lockDist, MANIFEST, SUMS, versionDir, type DistVersion } from './dist.js';
import { manifestProblem, mergeManifests, renderSha256Sums } from './manifest.js';
import { requireDirectory, requireRegularFile } from './paths.js';
import { printable } from '../ui/printable.js';
import { writeEnvelope } from '../ui/json.js';

/** Why a version folder's manifest.json was not taken, for the refusal message. */
async function whyNoManifest(dir: string): Promise<string> {
  const text = await readFile(join(dir, MANIFEST), 'utf8').catch(() => null);
  if (text === null) return `no ${MANIFEST}`;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return `${MANIFEST} is not JSON`;
  }
  return `${MANIFEST} refused: ${manifestProblem(data) ?? 'unknown'}`;
}

async function partVersion(dir: string, wanted: string | undefined): Promise<DistVersion> {
  await requireDirectory(dir, 'the part folder');
  const versions = await listVersions(dir);
  const found = wanted ? versions.find((v) => v.version === wanted) : versions.at(-1);
  if (found) return found;
  const candidate = wanted ? join(dir, wanted) : null;
  const why =
    candidate && (await stat(candidate).catch(() => null))?.isDirectory()
      ? await whyNoManifest(candidate)
      : await firstRefusal(dir);
  throw new UserError(
    `${printable(dir)}: no complete build${wanted ? ` of version ${printable(wanted)}` : ''} (${why})`,
  );
}

/** The first version folder's refusal reason, so a forged manifest is named, not ignored. */
async function firstRefusal(dir: string): Promise<string> {
  const { readdir } = await import('node:fs/promises');
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name === 'logs') continue;
    const why = await whyNoManifest(join(dir, entry.name));
    if (why !== `no ${MANIFEST}`) return `${entry.name}/${why}`;
  }
  return `no ${MANIFEST}`;
}

export async function mergeCommand(ctx: ImagesContext, partDirs: string[]): Promise<number> {
  if (partDirs.length === 0)
    throw new UserError('give the dist folders to merge: images merge PART... --dist DIR');
  const wanted =
    typeof ctx.opts['image-version'] === 'string' ? ctx.opts['image-version'] : undefined;
  const parts = await Promise.all(partDirs.map((d) => partVersion(resolve(ctx.io.cwd, d), wanted)));
  let merged;
  try {
    merged = mergeManifests(parts.map((p) => p.manifest));
  } catch (error) {
    throw new UserError(`cannot merge: ${(error as Error).message}`);
  }
  await requireDirectory(ctx.dist, '--dist', { mayBeMissing: true });
  await mkdir(ctx.dist, { recursive: true });
  const unlock = await lockDist(ctx.dist);
  try {
    const target = versionDir(ctx.dist, merged.version);
    await requireDirectory(target, 'the merged version folder', { mayBeMissing: true });
    // Every source is a regular file inside its part: a link could pull in any file.
    for (const part of parts)
      for (const a of part.manifest.artifacts)
        await requireRegularFile(join(part.dir, a.file), 'the artifact');
    for (const part of parts) {
      for (const a of part.manifest.artifacts) {
        const dest = join(target, a.file);
        // Re-running after an interruption skips what is already in place and intact.
        if ((await exists(dest)) && (await hashFile(dest)).sha256 === a.sha256) continue;
        const copied = await copyFileHashing(join(part.dir, a.file), dest);
        if (copied.sha256 !== a.sha256) {
          throw new UserError(`${join(part.dir, a.file)} does not match its sha256 in ${MANIFEST}`);
        }
      }
    }
    await writeFileAtomic(join(target, SUMS), renderSha256Sums(merged.artifacts));
    await writeFileAtomic(join(target, MANIFEST), `${JSON.stringify(merged, null, 2)}\n`);
    const summary = {
      version: merged.version,
      dir: target,
      artifacts: merged.artifacts.map((a) => a.file),
    };
    if (ctx.json) writeEnvelope(ctx.io, 'images', summary);
    else
      ctx.io.stdout.write(
        `Merged ${merged.artifacts.length} artifact(s) from ${parts.length} part(s) into ${printable(target)}\n`,
      );
    return EXIT.ok;
  } finally {
    await unlock();
  }
}
