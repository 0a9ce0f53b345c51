// `crossflake images merge PART... --dist DIR`: joins the dist/ folders that
// per-system CI jobs built into one release set, verifying every artifact
// against its part's manifest and writing one SHA256SUMS and manifest.
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { EXIT, UserError } from '../command.js';
import { copyFileHashing, exists, hashFile, writeFileAtomic } from '../io/files.js';
import type { ImagesContext } from './command.js';
import { listVersions, lockDist, MANIFEST, SUMS, versionDir, type DistVersion } from './dist.js';
import { mergeManifests, renderSha256Sums } from './manifest.js';

async function partVersion(dir: string, wanted: string | undefined): Promise<DistVersion> {
  const versions = await listVersions(dir);
  const found = wanted ? versions.find((v) => v.version === wanted) : versions.at(-1);
  if (!found)
    throw new UserError(
      `${dir}: no complete build${wanted ? ` of version ${wanted}` : ''} (no manifest.json)`,
    );
  return found;
}

export async function mergeCommand(ctx: ImagesContext, partDirs: string[]): Promise<number> {
  if (partDirs.length === 0)
    throw new UserError('give the dist folders to merge: images merge PART... --dist DIR');
  const wanted = typeof ctx.opts.version === 'string' ? ctx.opts.version : undefined;
  const parts = await Promise.all(partDirs.map((d) => partVersion(resolve(ctx.io.cwd, d), wanted)));
  let merged;
  try {
    merged = mergeManifests(parts.map((p) => p.manifest));
  } catch (error) {
    throw new UserError(`cannot merge: ${(error as Error).message}`);
  }
  await mkdir(ctx.dist, { recursive: true });
  const unlock = await lockDist(ctx.dist);
  try {
    const target = versionDir(ctx.dist, merged.version);
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
    if (ctx.json) ctx.io.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    else
      ctx.io.stdout.write(
        `Merged ${merged.artifacts.length} artifact(s) from ${parts.length} part(s) into ${target}\n`,
      );
    return EXIT.ok;
  } finally {
    await unlock();
  }
}
