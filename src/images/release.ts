// `images release --tag T (--github OWNER/REPO | --dir PATH)`: verifies the
// artifacts against the manifest, runs the privacy gate, writes release notes
// and publishes artifacts + SHA256SUMS + manifest + notes. Re-running only
// sends what is missing or different; nothing existing is replaced without
// --replace.
import { join, resolve } from 'node:path';
import { EXIT, UserError } from '../command.js';
import { hashFile, writeFileAtomic } from '../io/files.js';
import type { ImagesContext } from './command.js';
import { pickDistVersion } from './copy.js';
import { listVersions, MANIFEST, NOTES, recordRelease, SUMS, type DistVersion } from './dist.js';
import { releaseNotes } from './manifest.js';
import { privacyGate } from './privacy.js';
import { publishToDir, publishToGitHub, type PublishFile, type PublishReport } from './publish.js';
import { repoRoot, resolveFlakeRef } from './repo.js';
import { str, writeJson } from './subcommands.js';

const TAG = /^[A-Za-z0-9][A-Za-z0-9._+-]*$/;

/** The tag must name the version (V or vV), so a release cannot ship under the wrong number. */
export function checkTag(tag: string, version: string): void {
  if (!TAG.test(tag)) throw new UserError(`--tag '${tag}' is not a valid tag name`);
  if (tag !== version && tag !== `v${version}`) {
    throw new UserError(
      `--tag ${tag} does not match the version in dist/ (${version}); use v${version}`,
    );
  }
}

/** Every artifact still has the size and sha256 the manifest recorded. */
async function verifyArtifacts(version: DistVersion): Promise<void> {
  for (const a of version.manifest.artifacts) {
    const path = join(version.dir, a.file);
    const actual = await hashFile(path).catch(() => null);
    if (!actual || actual.sha256 !== a.sha256) {
      throw new UserError(
        `${path} ${actual ? 'does not match its sha256 in manifest.json' : 'is missing'}; run 'crossflake images build' again`,
      );
    }
  }
}

async function filesToPublish(version: DistVersion): Promise<PublishFile[]> {
  const files: PublishFile[] = version.manifest.artifacts.map((a) => ({
    name: a.file,
    path: join(version.dir, a.file),
    size: a.size,
    sha256: a.sha256,
    contentType: 'application/octet-stream',
  }));
  const extra: [string, string][] = [
    [SUMS, 'text/plain'],
    [MANIFEST, 'application/json'],
    [NOTES, 'text/markdown'],
  ];
  for (const [name, contentType] of extra) {
    const path = join(version.dir, name);
    files.push({ name, path, contentType, ...(await hashFile(path)) });
  }
  return files;
}

async function githubToken(ctx: ImagesContext): Promise<string> {
  const fromEnv = ctx.io.env.GITHUB_TOKEN?.trim();
  if (fromEnv) return fromEnv;
  const { run } = await import('../io/proc.js');
  const gh = await run('gh', ['auth', 'token'], { env: ctx.io.env, timeoutMs: 15_000 });
  const token = gh.code === 0 ? gh.stdout.toString('utf8').trim() : '';
  if (!token)
    throw new UserError('no GitHub token: set GITHUB_TOKEN, or log in with `gh auth login`');
  return token;
}

function renderReport(report: PublishReport): string {
  const lines = report.files.map(
    (f) => `  ${f.action.padEnd(9)} ${f.name}${f.note ? ` (${f.note})` : ''}`,
  );
  return `Published to ${report.target}:\n${lines.join('\n')}\n`;
}

export async function releaseCommand(ctx: ImagesContext): Promise<number> {
  const tag = str(ctx.opts, 'tag');
  const github = str(ctx.opts, 'github');
  const dir = str(ctx.opts, 'dir');
  if (tag === undefined) throw new UserError('give the release tag: --tag v<version>');
  if ((github === undefined) === (dir === undefined)) {
    throw new UserError('give exactly one target: --github OWNER/REPO or --dir PATH');
  }
  const version = await pickDistVersion(ctx.dist, str(ctx.opts, 'version'));
  checkTag(tag, version.version);
  await verifyArtifacts(version);

  const flake = resolveFlakeRef(str(ctx.opts, 'flake') ?? '.', ctx.io.cwd);
  const root = await repoRoot(flake.dir ?? ctx.io.cwd);
  const released = (await listVersions(ctx.dist)).filter(
    (v) => v.release && v.version !== version.version,
  );
  const notes = releaseNotes(version.manifest, released.at(-1)?.manifest ?? null, tag);
  await writeFileAtomic(join(version.dir, NOTES), notes);
  const files = await filesToPublish(version);
  // Every published file, notes included, passes the gate before any is sent.
  if (!(await privacyGate(ctx, version, files, { dir: flake.dir, root }))) return EXIT.failed;
  const replace = ctx.opts.replace === true;
  const report =
    dir !== undefined
      ? await publishToDir(resolve(ctx.io.cwd, dir, tag), files, replace)
      : await publishToGitHub(github as string, tag, notes, files, replace, {
          token: await githubToken(ctx),
          apiUrl: ctx.io.env.GITHUB_API_URL,
          log: (m) => ctx.io.stderr.write(`${m}\n`),
        });
  if (report.conflicts.length > 0) {
    ctx.io.stderr.write(
      `crossflake images release: these already exist with different content and were left alone ` +
        `(pass --replace to replace them):\n${report.conflicts.map((c) => `  ${c}`).join('\n')}\n`,
    );
    return EXIT.failed;
  }
  const previous = version.release?.targets ?? [];
  await recordRelease(version.dir, {
    tag,
    targets: [...new Set([...previous, report.target])],
    releasedAt: new Date().toISOString(),
  });
  if (ctx.json) writeJson(ctx, report);
  else ctx.io.stdout.write(renderReport(report));
  return EXIT.ok;
}
