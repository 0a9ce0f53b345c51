// Publishing a release's files to a directory or a GitHub release, both
// idempotent: a file already there with the same sha256 is left alone, a
// missing one is sent, a different one is a conflict unless `replace`. The
// decision per file is pure (decide); the targets only carry it out.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  commitTemp,
  copyFileHashing,
  exists,
  hashFile,
  sweepTempFiles,
  tempPathFor,
  writeFileAtomic,
} from '../io/files.js';
import {
  GitHubError,
  GitHubReleases,
  parseRepo,
  type Asset,
  type GitHubOptions,
  type Release,
  type UploadSource,
} from '../io/net/github.js';

export interface PublishFile {
  name: string;
  /** Where the bytes are: a file, a byte range of one (a part), or memory. */
  source: UploadSource;
  size: number;
  sha256: string;
  contentType: string;
}

export type Action = 'sent' | 'unchanged' | 'replaced' | 'conflict';

export interface PublishReport {
  target: string;
  files: { name: string; action: Action; note?: string }[];
  /** Files that exist with other content and were left alone (no --replace). */
  conflicts: string[];
}

/** What to do with one file given the sha256 already at the target (null: absent). */
export function decide(wanted: string, existing: string | null, replace: boolean): Action | 'send' {
  if (existing === null) return 'send';
  if (existing === wanted) return 'unchanged';
  return replace ? 'replaced' : 'conflict';
}

function finish(target: string, files: PublishReport['files']): PublishReport {
  return {
    target,
    files,
    conflicts: files.filter((f) => f.action === 'conflict').map((f) => f.name),
  };
}

async function copyTo(f: PublishFile, dest: string): Promise<void> {
  if ('data' in f.source) {
    await writeFileAtomic(dest, Buffer.from(f.source.data));
    return;
  }
  const { path, start, end } = f.source;
  const copied =
    start !== undefined || end !== undefined
      ? await copyRange(path, start ?? 0, end ?? Infinity, dest)
      : await copyFileHashing(path, dest);
  if (copied.sha256 !== f.sha256) throw new Error(`${path} changed while it was being published`);
}

/** A byte range of `path` (a part) to `dest`, atomically, hashed on the way. */
async function copyRange(
  path: string,
  start: number,
  end: number,
  dest: string,
): Promise<{ sha256: string }> {
  const temp = tempPathFor(dest);
  const out = await open(temp, 'wx', 0o644);
  const hash = createHash('sha256');
  try {
    for await (const chunk of createReadStream(path, { start, end, highWaterMark: 4 << 20 })) {
      hash.update(chunk as Buffer);
      await out.write(chunk as Buffer);
    }
    await out.sync();
    await out.close();
    await commitTemp(temp, dest);
  } catch (error) {
    await out.close().catch(() => undefined);
    await rm(temp, { force: true });
    throw error;
  }
  return { sha256: hash.digest('hex') };
}

export async function publishToDir(
  dest: string,
  files: PublishFile[],
  replace: boolean,
): Promise<PublishReport> {
  await mkdir(dest, { recursive: true });
  await sweepTempFiles(dest);
  const existing = new Map<string, string | null>();
  for (const f of files) {
    const path = join(dest, f.name);
    existing.set(f.name, (await exists(path)) ? (await hashFile(path)).sha256 : null);
  }
  const plan = files.map((f) => ({
    f,
    action: decide(f.sha256, existing.get(f.name) ?? null, replace),
  }));
  // Nothing is written when anything conflicts: a release is all or nothing.
  if (plan.some((p) => p.action === 'conflict')) {
    const conflicts = plan.filter((p) => p.action === 'conflict');
    return finish(
      dest,
      conflicts.map((p) => ({ name: p.f.name, action: 'conflict' as const })),
    );
  }
  const report: PublishReport['files'] = [];
  for (const { f, action } of plan) {
    if (action === 'send' || action === 'replaced') await copyTo(f, join(dest, f.name));
    report.push({ name: f.name, action: action === 'send' ? 'sent' : action });
  }
  return finish(dest, report);
}

export type GitHubPublishOptions = Omit<GitHubOptions, 'token'> & { token: string };

async function sha256OfAsset(client: GitHubReleases, asset: Asset): Promise<string> {
  if (asset.digest?.startsWith('sha256:')) return asset.digest.slice('sha256:'.length);
  // Assets from before GitHub computed digests: download and hash.
  const { createHash } = await import('node:crypto');
  const hash = createHash('sha256');
  for await (const chunk of await client.downloadAsset(asset.id)) hash.update(chunk);
  return hash.digest('hex');
}

/**
 * The release for the tag: a published one or a draft left by an earlier
 * run (finished now), else a new draft. Nobody can download a draft, so a
 * half-filled release is never visible.
 */
async function findOrCreateDraft(
  client: GitHubReleases,
  tag: string,
  notes: string,
  retries: number,
): Promise<Release> {
  for (let attempt = 0; ; attempt++) {
    const found = await client.findRelease(tag);
    if (found) return found;
    try {
      return await client.createRelease({ tag_name: tag, name: tag, body: notes, draft: true });
    } catch (error) {
      // The response may have been lost after GitHub created it, or GitHub
      // asked us to slow down: wait, then look again before creating.
      const again = error instanceof GitHubError && (error.transient || error.status === 422);
      if (!again || attempt >= retries) throw error;
      if (error.transient) await client.backOff(error, attempt);
    }
  }
}

/** After an upload: GitHub holds exactly these bytes (its digest, or a download and hash). */
async function verifyUploaded(
  client: GitHubReleases,
  asset: Asset,
  file: PublishFile,
): Promise<void> {
  const held = await sha256OfAsset(client, asset);
  if (held === file.sha256 && asset.size === file.size) return;
  await client.deleteAsset(asset.id);
  throw new GitHubError(
    null,
    `${file.name}: GitHub holds sha256 ${held} (${asset.size} bytes) after the upload, not ${file.sha256} (${file.size} bytes); it was deleted, run again`,
  );
}

/**
 * Uploads one file and verifies it, surviving transient failures mid-upload:
 * before each retry the asset list is read again, a half-uploaded asset of
 * that name is deleted, and a complete one with the right digest counts as
 * done. Rate limits wait as long as GitHub asks.
 */
async function uploadWithRetry(
  client: GitHubReleases,
  release: Release,
  file: PublishFile,
  options: GitHubPublishOptions,
): Promise<void> {
  const attempts = (options.retries ?? 4) + 1;
  for (let attempt = 1; ; attempt++) {
    try {
      const asset = await client.uploadAsset(
        release,
        file.name,
        file.source,
        file.size,
        file.contentType,
      );
      await verifyUploaded(client, asset, file);
      return;
    } catch (error) {
      if (!(error instanceof GitHubError) || !error.transient || attempt >= attempts) throw error;
      options.log?.(
        `upload of ${file.name} failed (${error.message}); retrying (${attempt}/${attempts - 1})`,
      );
      await client.backOff(error, attempt - 1);
      const leftover = (await client.listAssets(release.id)).find((a) => a.name === file.name);
      if (leftover?.state === 'uploaded' && leftover.digest === `sha256:${file.sha256}`) return;
      if (leftover) await client.deleteAsset(leftover.id);
    }
  }
}

type Step = { f: PublishFile; action: Action | 'send'; asset?: Asset };

/** Per wanted file: what to do given the release's assets (half-uploaded ones are removed). */
async function planAssets(
  client: GitHubReleases,
  assets: Map<string, Asset>,
  files: PublishFile[],
  replace: boolean,
): Promise<Step[]> {
  const plan: Step[] = [];
  for (const f of files) {
    const asset = assets.get(f.name);
    if (asset && asset.state !== 'uploaded') {
      // A half-finished upload from an interrupted run: not a real asset, remove it.
      await client.deleteAsset(asset.id);
      plan.push({ f, action: 'send' });
      continue;
    }
    const existing = asset ? await sha256OfAsset(client, asset) : null;
    plan.push({ f, action: decide(f.sha256, existing, replace), asset });
  }
  return plan;
}

/** Publishes a draft only when GitHub holds every wanted file, complete and with its digest. */
async function checkComplete(
  client: GitHubReleases,
  release: Release,
  files: PublishFile[],
): Promise<void> {
  const held = new Map((await client.listAssets(release.id)).map((a) => [a.name, a]));
  const bad = files.filter((f) => {
    const a = held.get(f.name);
    if (!a || a.state !== 'uploaded' || a.size !== f.size) return true;
    return typeof a.digest === 'string' && a.digest !== `sha256:${f.sha256}`;
  });
  if (bad.length > 0) {
    throw new GitHubError(
      null,
      `the draft release still lacks ${bad.map((f) => f.name).join(', ')}; it stays a draft: run again`,
    );
  }
}

export async function publishToGitHub(
  repoSpec: string,
  tag: string,
  notes: string,
  files: PublishFile[],
  replace: boolean,
  options: GitHubPublishOptions,
): Promise<PublishReport> {
  const { owner, repo } = parseRepo(repoSpec);
  const client = new GitHubReleases(owner, repo, options);
  const target = `github.com/${owner}/${repo} release ${tag}`;
  const release = await findOrCreateDraft(client, tag, notes, options.retries ?? 4);
  const assets = new Map((await client.listAssets(release.id)).map((a) => [a.name, a]));
  const plan = await planAssets(client, assets, files, replace);
  // In a draft (ours, unpublished), complete assets we do not publish are stale:
  // a conflict unless --replace, since the draft must hold exactly this set.
  const wanted = new Set(files.map((f) => f.name));
  const stale = release.draft
    ? [...assets.values()].filter((a) => !wanted.has(a.name) && a.state === 'uploaded')
    : [];
  for (const a of [...assets.values()].filter((a) => !wanted.has(a.name) && a.state !== 'uploaded'))
    await client.deleteAsset(a.id);
  const conflicts = [
    ...plan.filter((p) => p.action === 'conflict').map((p) => p.f.name),
    ...(replace ? [] : stale.map((a) => a.name)),
  ];
  if (conflicts.length > 0) {
    return finish(
      target,
      conflicts.map((name) => ({ name, action: 'conflict' as const })),
    );
  }
  for (const a of stale) await client.deleteAsset(a.id);
  const report: PublishReport['files'] = [];
  for (const { f, action, asset } of plan) {
    if (action === 'replaced' && asset) await client.deleteAsset(asset.id);
    if (action === 'send' || action === 'replaced') {
      options.log?.(`uploading ${f.name} (${f.size} bytes)`);
      await uploadWithRetry(client, release, f, options);
    }
    report.push({ name: f.name, action: action === 'send' ? 'sent' : action });
  }
  await checkComplete(client, release, files);
  if (release.draft) {
    await client.updateRelease(release.id, { body: notes, draft: false });
    options.log?.(`published the draft release ${tag}`);
  } else if (release.body !== notes) await client.updateRelease(release.id, { body: notes });
  return finish(target, report);
}
