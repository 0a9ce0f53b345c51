// `images release --tag T (--github OWNER/REPO | --dir PATH)`: verifies the
// artifacts against the manifest, runs the privacy gate, writes release notes
// and publishes artifacts + SHA256SUMS + manifest + notes. Re-running only
// sends what is missing or different; nothing existing is replaced without
// --replace.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { join, resolve } from 'node:path';
import { EXIT, UserError } from '../command.js';
import { hashFile, writeFileAtomic } from '../io/files.js';
import type { ImagesContext } from './command.js';
import { pickDistVersion } from './copy.js';
import { compareVersionStrings } from './version.js';
import { listVersions, MANIFEST, NOTES, recordRelease, SUMS, type DistVersion } from './dist.js';
import { netFetch } from '../io/net/client.js';
import { netFromOptions } from './fetch.js';
import { redactTokens } from '../io/net/github.js';
import { renderSha256Sums } from './artifact-name.js';
import { GITHUB_ASSET_LIMIT, splitPlan } from './asset-parts.js';
import { releaseNotes, type Manifest } from './manifest.js';
import { requireDirectory } from './paths.js';
import { printable } from '../ui/printable.js';
import { privacyGate } from './privacy.js';
import { publishToDir, publishToGitHub, type PublishFile, type PublishReport } from './publish.js';
import { repoRoot, resolveFlakeRef } from './repo.js';
import { str, writeJson } from './subcommands.js';

const TAG = /^[A-Za-z0-9][A-Za-z0-9._+-]*$/;

/** The tag must name the version (V or vV), so a release cannot ship under the wrong number. */
export function checkTag(tag: string, version: string, explicit = false): void {
  if (!TAG.test(tag)) throw new UserError(`--tag '${printable(tag)}' is not a valid tag name`);
  if (tag !== version && tag !== `v${version}`) {
    const named = tag.replace(/^v(?=\d)/, '');
    const which = explicit
      ? `--image-version ${version}`
      : `the newest build in dist/ is ${version}`;
    throw new UserError(
      `--tag ${tag} names version ${named}, but ${which}; ` +
        `tag it v${version}${explicit ? '' : `, or release ${named} with --image-version ${named}`}`,
    );
  }
}

/**
 * A set may be released only when it is whole: at least one artifact, and
 * no image of the version failed or was skipped, unless the user accepts a
 * partial set (the notes then say what is missing).
 */
export function checkReleaseSet(manifest: Manifest, allowPartial: boolean): void {
  const missing = manifest.missing ?? [];
  if (manifest.artifacts.length === 0) {
    throw new UserError(
      `version ${manifest.version} has no artifacts (${missing.length} image(s) failed or were skipped); ` +
        `nothing to release: fix the build and run 'crossflake images build' again`,
      EXIT.failed,
    );
  }
  if (missing.length > 0 && !allowPartial) {
    throw new UserError(
      `version ${manifest.version} is incomplete: ${missing.map((m) => `${m.key} (${m.status})`).join(', ')}; ` +
        `build them again, or release the rest with --allow-partial`,
      EXIT.failed,
    );
  }
}

/** Every artifact still has the size and sha256 the manifest recorded. */
async function verifyArtifacts(version: DistVersion): Promise<void> {
  const { lstat } = await import('node:fs/promises');
  for (const a of version.manifest.artifacts) {
    const path = join(version.dir, a.file);
    const info = await lstat(path).catch(() => null);
    if (info && !info.isFile())
      throw new UserError(`${path} is not a regular file; run 'crossflake images build' again`);
    const actual = info ? await hashFile(path) : null;
    if (!actual || actual.sha256 !== a.sha256) {
      throw new UserError(
        `${path} ${actual ? 'does not match its sha256 in manifest.json' : 'is missing'}; run 'crossflake images build' again`,
      );
    }
  }
}

async function hashRange(path: string, start: number, end: number): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { start, end })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The artifacts as published: whole files, or numbered parts of those over `limit`. */
async function artifactFiles(
  version: DistVersion,
  limit: number | null,
): Promise<{
  files: PublishFile[];
  manifest: Manifest;
}> {
  const files: PublishFile[] = [];
  const artifacts = [];
  for (const a of version.manifest.artifacts) {
    const path = join(version.dir, a.file);
    const ranges = limit === null ? null : splitPlan(a.file, a.size, limit);
    if (!ranges) {
      files.push({
        name: a.file,
        source: { path },
        size: a.size,
        sha256: a.sha256,
        contentType: 'application/octet-stream',
      });
      artifacts.push(a);
      continue;
    }
    const parts = [];
    for (const r of ranges) {
      const sha256 = await hashRange(path, r.start, r.end);
      files.push({
        name: r.file,
        source: { path, start: r.start, end: r.end },
        size: r.size,
        sha256,
        contentType: 'application/octet-stream',
      });
      parts.push({ file: r.file, size: r.size, sha256 });
    }
    artifacts.push({ ...a, parts });
  }
  return { files, manifest: { ...version.manifest, artifacts } };
}

function memoryFile(name: string, text: string, contentType: string): PublishFile {
  const data = Buffer.from(text, 'utf8');
  const sha256 = createHash('sha256').update(data).digest('hex');
  return { name, source: { data }, size: data.length, sha256, contentType };
}

/**
 * Everything a release publishes. With a size limit (GitHub), SHA256SUMS and
 * manifest.json are made for what is actually published (parts listed, the
 * manifest saying which parts make which file); dist/ itself is unchanged.
 */
async function filesToPublish(version: DistVersion, limit: number | null): Promise<PublishFile[]> {
  const { files, manifest } = await artifactFiles(version, limit);
  const split = manifest.artifacts.some((a) => a.parts);
  if (split) {
    files.push(
      memoryFile(
        SUMS,
        renderSha256Sums(files.map((f) => ({ file: f.name, sha256: f.sha256 }))),
        'text/plain',
      ),
    );
    files.push(memoryFile(MANIFEST, `${JSON.stringify(manifest, null, 2)}\n`, 'application/json'));
  } else {
    for (const [name, contentType] of [
      [SUMS, 'text/plain'],
      [MANIFEST, 'application/json'],
    ] as const) {
      const path = join(version.dir, name);
      files.push({ name, source: { path }, contentType, ...(await hashFile(path)) });
    }
  }
  const notes = join(version.dir, NOTES);
  files.push({
    name: NOTES,
    source: { path: notes },
    contentType: 'text/markdown',
    ...(await hashFile(notes)),
  });
  return files;
}

const UNITS: Record<string, number> = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 };

/**
 * --part-size N[K|M|G]: publish files over this size as numbered parts, on any
 * target (a web server's upload limit, a FAT32 stick); null when not given.
 */
export function partSizeOption(given: string | undefined): number | null {
  if (given === undefined) return null;
  const m = /^(\d{1,13})([KMG]?)(?:i?B)?$/i.exec(given.trim());
  const n = m ? Number(m[1]) * (UNITS[m[2]!.toUpperCase()] ?? 1) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new UserError(
      `--part-size '${printable(given)}' is not a size; give bytes, or a number with K, M or G (e.g. 1900M)`,
    );
  }
  return n;
}

/** GitHub's asset size limit, or CROSSFLAKE_GITHUB_ASSET_LIMIT (bytes; tests use a small one). */
export function assetLimit(env: NodeJS.ProcessEnv): number {
  const given = env.CROSSFLAKE_GITHUB_ASSET_LIMIT;
  if (given === undefined || given === '') return GITHUB_ASSET_LIMIT;
  const n = Number(given);
  if (!Number.isSafeInteger(n) || n < 1 || n > GITHUB_ASSET_LIMIT)
    throw new UserError(
      `CROSSFLAKE_GITHUB_ASSET_LIMIT '${printable(given)}' must be a byte count from 1 to ${GITHUB_ASSET_LIMIT}`,
    );
  return n;
}

async function githubToken(ctx: ImagesContext): Promise<string> {
  // gh's order: GH_TOKEN first, then GITHUB_TOKEN (what GitHub Actions provides).
  const fromEnv = ctx.io.env.GH_TOKEN?.trim() || ctx.io.env.GITHUB_TOKEN?.trim();
  if (fromEnv) return fromEnv;
  const { run } = await import('../io/proc.js');
  const gh = await run('gh', ['auth', 'token'], { env: ctx.io.env, timeoutMs: 15_000 });
  const token = gh.code === 0 ? gh.stdout.toString('utf8').trim() : '';
  if (!token)
    throw new UserError(
      'no GitHub token: set GH_TOKEN or GITHUB_TOKEN, or log in with `gh auth login`',
      EXIT.failed,
    );
  return token;
}

function renderReport(report: PublishReport): string {
  const lines = report.files.map(
    (f) => `  ${f.action.padEnd(9)} ${f.name}${f.note ? ` (${f.note})` : ''}`,
  );
  return `Published to ${report.target}:\n${lines.join('\n')}\n`;
}

/** With no target flag, the team's storage (`images.store` in crossflake.json), if it names one. */
async function teamStore(root: string, opts: ImagesContext['opts']): Promise<string | undefined> {
  if (opts.github !== undefined || opts.dir !== undefined) return undefined;
  const { loadTeamConfig } = await import('../teamconfig/load.js');
  return (await loadTeamConfig(root)).images.store ?? undefined;
}

export async function releaseCommand(ctx: ImagesContext): Promise<number> {
  const tag = str(ctx.opts, 'tag');
  if (tag === undefined) throw new UserError('give the release tag: --tag v<version>');
  const { pickTarget } = await import('./stores/target.js');
  const flake = resolveFlakeRef(str(ctx.opts, 'flake') ?? '.', ctx.io.cwd);
  const root = await repoRoot(flake.dir ?? ctx.io.cwd);
  const [to, github] = [str(ctx.opts, 'to'), str(ctx.opts, 'github')];
  const target = pickTarget(to ?? (await teamStore(root, ctx.opts)), github, str(ctx.opts, 'dir'));
  const dir = target.kind === 'dir' ? target.path : undefined;
  await requireDirectory(ctx.dist, '--dist');
  if (dir !== undefined) {
    await requireDirectory(resolve(ctx.io.cwd, dir), '--dir', { mayBeMissing: true });
    await requireDirectory(resolve(ctx.io.cwd, dir, tag), 'the release folder', {
      mayBeMissing: true,
    });
  }
  const { isOciTag } = await import('./stores/oci-layout.js');
  if (target.kind === 'oci' && !isOciTag(tag))
    throw new UserError(
      `--tag ${printable(tag)} cannot be an OCI tag (letters, digits, '.', '_', '-')`,
    );
  const versionOpt = str(ctx.opts, 'image-version');
  const version = await pickDistVersion(ctx.dist, versionOpt);
  checkTag(tag, version.version, versionOpt !== undefined);
  checkReleaseSet(version.manifest, ctx.opts['allow-partial'] === true);
  await verifyArtifacts(version);

  const released = (await listVersions(ctx.dist)).filter(
    (v) => v.release && v.version !== version.version,
  );
  const previous = released.filter((v) => compareVersionStrings(v.version, version.version) < 0);
  const notes = releaseNotes(version.manifest, previous.at(-1)?.manifest ?? null, tag);
  await writeFileAtomic(join(version.dir, NOTES), notes);
  // Every published file, notes included, passes the gate before any is sent.
  // It reads the whole files of dist/: parts are byte ranges of them, and the
  // SHA256SUMS and manifest made for parts add only part names and hashes.
  const whole = await filesToPublish(version, null);
  const gated = whole.map((f) => ({ name: f.name, path: 'path' in f.source ? f.source.path : '' }));
  if (!(await privacyGate(ctx, version, gated, { dir: flake.dir, root }))) return EXIT.failed;
  const replace = ctx.opts.replace === true;
  const partSize = partSizeOption(str(ctx.opts, 'part-size'));
  let report: PublishReport;
  if (target.kind === 'dir') {
    const files = partSize === null ? whole : await filesToPublish(version, partSize);
    report = await publishToDir(resolve(ctx.io.cwd, target.path, tag), files, replace);
  } else if (target.kind === 'github') {
    const token = await githubToken(ctx);
    report = await publishToGitHub(
      target.repo,
      tag,
      notes,
      await filesToPublish(version, Math.min(partSize ?? Infinity, assetLimit(ctx.io.env))),
      replace,
      {
        token,
        apiUrl: ctx.io.env.GITHUB_API_URL,
        // The one HTTP layer: proxies, the company CA, stall timeouts.
        fetch: await netFetch(await netFromOptions(ctx.opts, ctx.io)),
        log: (m) => ctx.io.stderr.write(`${printable(redactTokens(m, [token]))}\n`),
      },
    );
  } else {
    const { releaseToStore } = await import('./stores/release.js');
    report = await releaseToStore(ctx, target, tag, version, whole, replace);
  }
  if (report.conflicts.length > 0) {
    // Reported by src/cli.ts, as text or as the --json error.
    throw new UserError(
      `these already exist with different content and were left alone ` +
        `(pass --replace to replace them): ${report.conflicts.join(', ')}`,
      EXIT.failed,
      'conflict',
    );
  }
  const targets = version.release?.targets ?? [];
  await recordRelease(version.dir, {
    tag,
    targets: [...new Set([...targets, report.target])],
    releasedAt: new Date().toISOString(),
  });
  if (ctx.json) writeJson(ctx, report);
  else ctx.io.stdout.write(renderReport(report));
  return EXIT.ok;
}
