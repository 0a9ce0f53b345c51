// Publishing a release's files to a directory or a GitHub release, both
// idempotent: a file already there with the same sha256 is left alone, a
// missing one is sent, a different one is a conflict unless `replace`. The
// decision per file is pure (decide); the targets only carry it out.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { copyFileHashing, exists, hashFile, sweepTempFiles } from '../io/files.js';
import {
  GitHubError,
  GitHubReleases,
  parseRepo,
  type Asset,
  type Release,
} from '../io/net/github.js';

export interface PublishFile {
  name: string;
  path: string;
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
    if (action === 'send' || action === 'replaced') {
      const copied = await copyFileHashing(f.path, join(dest, f.name));
      if (copied.sha256 !== f.sha256)
        throw new Error(`${f.path} changed while it was being published`);
    }
    report.push({ name: f.name, action: action === 'send' ? 'sent' : action });
  }
  return finish(dest, report);
}

export interface GitHubPublishOptions {
  token: string;
  apiUrl?: string;
  retries?: number;
  retryDelayMs?: number;
  log?: (message: string) => void;
}

async function sha256OfAsset(client: GitHubReleases, asset: Asset): Promise<string> {
  if (asset.digest?.startsWith('sha256:')) return asset.digest.slice('sha256:'.length);
  // Assets from before GitHub computed digests: download and hash.
  const { createHash } = await import('node:crypto');
  const hash = createHash('sha256');
  for await (const chunk of await client.downloadAsset(asset.id)) hash.update(chunk);
  return hash.digest('hex');
}

async function getOrCreateRelease(
  client: GitHubReleases,
  tag: string,
  notes: string,
): Promise<Release> {
  const found = await client.getReleaseByTag(tag);
  if (found) return found;
  try {
    return await client.createRelease({ tag_name: tag, name: tag, body: notes });
  } catch (error) {
    // The response may have been lost after GitHub created it: look again before failing.
    if (error instanceof GitHubError && (error.transient || error.status === 422)) {
      const again = await client.getReleaseByTag(tag);
      if (again) return again;
    }
    throw error;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Uploads one file, surviving transient failures mid-upload: before each
 * retry the asset list is read again, a half-uploaded asset of that name is
 * deleted, and a complete one with the right digest counts as done.
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
      await client.uploadAsset(release, file.name, file.path, file.size, file.contentType);
      return;
    } catch (error) {
      if (!(error instanceof GitHubError) || !error.transient || attempt >= attempts) throw error;
      options.log?.(
        `upload of ${file.name} failed (${error.message}); retrying (${attempt}/${attempts - 1})`,
      );
      await sleep((options.retryDelayMs ?? 1000) * 2 ** (attempt - 1));
      const leftover = (await client.listAssets(release.id)).find((a) => a.name === file.name);
      if (leftover?.state === 'uploaded' && leftover.digest === `sha256:${file.sha256}`) return;
      if (leftover) await client.deleteAsset(leftover.id);
    }
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
  const client = new GitHubReleases(owner, repo, {
    token: options.token,
    apiUrl: options.apiUrl,
    retries: options.retries,
    retryDelayMs: options.retryDelayMs,
  });
  const target = `github.com/${owner}/${repo} release ${tag}`;
  const release = await getOrCreateRelease(client, tag, notes);
  const assets = new Map((await client.listAssets(release.id)).map((a) => [a.name, a]));
  const plan: { f: PublishFile; action: Action | 'send'; asset?: Asset }[] = [];
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
  if (plan.some((p) => p.action === 'conflict')) {
    return finish(
      target,
      plan
        .filter((p) => p.action === 'conflict')
        .map((p) => ({ name: p.f.name, action: 'conflict' as const })),
    );
  }
  const report: PublishReport['files'] = [];
  for (const { f, action, asset } of plan) {
    if (action === 'replaced' && asset) await client.deleteAsset(asset.id);
    if (action === 'send' || action === 'replaced') {
      options.log?.(`uploading ${f.name} (${f.size} bytes)`);
      await uploadWithRetry(client, release, f, options);
    }
    report.push({ name: f.name, action: action === 'send' ? 'sent' : action });
  }
  if (release.body !== notes) await client.updateRelease(release.id, { body: notes });
  return finish(target, report);
}
