// `images build`: evaluate the matrix once, decide per image (reuse, build,
// skip), build everything in one nix invocation, export artifacts, then write
// SHA256SUMS and manifest.json last. An interrupted run leaves only temp files
// (swept on the next run) and the previous complete state.
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../command.js';
import type { HostFacts } from '../io/host/facts.js';
import { copyFileHashing, exists, hashFile, sweepTempFiles, writeFileAtomic } from '../io/files.js';
import {
  nixEvalExprJson,
  nixInstantiateFlakeAttrs,
  nixPathInfo,
  nixVersionOf,
  type Instantiated,
  type NixCallOptions,
} from '../io/nix.js';
import {
  listVersions,
  lockDist,
  logsDir,
  MANIFEST,
  SUMS,
  versionDir,
  type DistVersion,
} from './dist.js';
import {
  artifactSource,
  closureInfo,
  exportArtifact,
  RootProgramError,
  runRootProgram,
  type ClosureInfo,
} from './export.js';
import {
  MANIFEST_SCHEMA,
  renderSha256Sums,
  type Artifact,
  type Manifest,
  type MissingImage,
} from './manifest.js';
import {
  artifactFileName,
  imageKey,
  parseImageMatrix,
  selectImages,
  type ImageSpec,
} from './matrix.js';
import { describeBadName, isArtifactName } from './artifact-name.js';
import { buildTargets, ImageLogs, type BuildTarget } from './nixbuild.js';
import { planImages, type Plan } from './plan.js';
import { Progress, type Writer } from './progress.js';
import {
  gitState,
  publishedFlakeRef,
  readFlakeLock,
  readVersionFile,
  type FlakeRef,
} from './repo.js';
import { chooseVersion } from './version.js';

export interface BuildOptions {
  flake: FlakeRef;
  dist: string;
  only: string[];
  keepGoing: boolean;
  builders?: string;
  maxJobs: number;
  version?: string;
  facts: HostFacts;
  nix: NixCallOptions;
  now: Date;
  progressOut: Writer;
  live: boolean;
  isRoot: boolean;
  /** Stream Nix's log (every build line, prefixed with its image) as it comes. */
  verbose?: boolean;
}

export type ImageStatus = 'built' | 'reused' | 'failed' | 'skipped' | 'not-built';

export interface ImageResult {
  key: string;
  status: ImageStatus;
  file: string | null;
  reason: string | null;
  log: string | null;
}

export interface BuildSummary {
  version: string;
  dir: string;
  manifest: string;
  results: ImageResult[];
  sweptTempFiles: string[];
}

// `nix eval <flake>#crossflake.images` would try packages.<system>.crossflake
// first (Nix's default prefixes), and a flake that ships crossflake's CLI as
// that package would then evaluate nixpkgs: the output is read by its full
// path instead. The reference arrives through the environment.
const IMAGES_EXPR =
  '(builtins.getFlake (builtins.getEnv "CROSSFLAKE_FLAKE_REF")).crossflake.images';

/** Reads `crossflake.images` with one nix eval and validates it. */
export async function loadImages(flake: FlakeRef, nix: NixCallOptions): Promise<ImageSpec[]> {
  const source = `${flake.ref}#crossflake.images`;
  const env = { ...(nix.env ?? process.env), CROSSFLAKE_FLAKE_REF: flake.ref };
  return parseImageMatrix(await nixEvalExprJson(IMAGES_EXPR, { ...nix, env }), source);
}

export async function loadPlan(
  flake: FlakeRef,
  only: string[],
  facts: HostFacts,
  builders: string | undefined,
  nix: NixCallOptions,
): Promise<Plan> {
  const images = selectImages(await loadImages(flake, nix), only);
  return planImages(images, facts, { builders });
}

async function pickVersion(options: BuildOptions, versions: DistVersion[]): Promise<string> {
  const released = versions.filter((v) => v.release).map((v) => v.version);
  const chosen = chooseVersion({
    now: options.now,
    versionFile: await readVersionFile(options.flake.dir),
    released,
    override: options.version,
  });
  if (released.includes(chosen.version)) {
    const hint = chosen.source === 'VERSION' ? 'bump VERSION' : 'pick another --image-version';
    throw new UserError(
      `version ${chosen.version} is already released (dist/${chosen.version}); ${hint}`,
    );
  }
  return chosen.version;
}

/** Every artifact this build would write has a name of the shared grammar, before anything is built. */
function checkArtifactNames(images: readonly ImageSpec[], version: string): void {
  for (const image of images) {
    const file = artifactFileName(image, version);
    if (!isArtifactName(file))
      throw new UserError(`image ${imageKey(image)}: ${describeBadName(file)}; rename the image`);
  }
}

/** The manifest a new build compares against: its own version's, else the newest. */
function previousOf(versions: DistVersion[], version: string): DistVersion | null {
  return versions.find((v) => v.version === version) ?? versions.at(-1) ?? null;
}

interface Context {
  options: BuildOptions;
  dir: string;
  version: string;
  progress: Progress;
  logs: ImageLogs;
  artifacts: Map<string, Artifact>;
  results: Map<string, ImageResult>;
}

function finish(ctx: Context, key: string, status: ImageStatus, fields: Partial<ImageResult> = {}) {
  ctx.results.set(key, { key, status, file: null, reason: null, log: null, ...fields });
  const detail = fields.file ?? fields.reason ?? '';
  ctx.progress.set(
    key,
    status,
    status === 'failed' && fields.log ? `${detail} (log: ${fields.log})` : detail,
  );
}

/** Reuses a previous artifact when its drvPath is unchanged and its sha256 still matches. */
async function tryReuse(
  ctx: Context,
  image: ImageSpec,
  drvPath: string,
  previous: DistVersion | null,
): Promise<boolean> {
  const old = previous?.manifest.artifacts.find((a) => imageKey(a) === imageKey(image));
  if (!previous || !old || old.drvPath !== drvPath) return false;
  const oldPath = join(previous.dir, old.file);
  if (!(await exists(oldPath))) return false;
  const file = artifactFileName(image, ctx.version);
  const target = join(ctx.dir, file);
  const hashed =
    oldPath === target
      ? await hashFile(oldPath)
      : await copyFileHashing(oldPath, target, { durable: false });
  if (hashed.sha256 !== old.sha256) {
    // A corrupted copy must not stay behind under the artifact's name.
    if (oldPath !== target) await rm(target, { force: true });
    return false;
  }
  ctx.artifacts.set(imageKey(image), { ...old, ...image, file, buildSeconds: 0 });
  finish(ctx, imageKey(image), 'reused', { file, reason: 'unchanged drvPath, sha256 verified' });
  return true;
}

async function exportOne(
  ctx: Context,
  image: ImageSpec,
  target: BuildTarget,
  seconds: number,
  closurePromise: Promise<ClosureInfo | Error>,
) {
  const key = imageKey(image);
  const file = artifactFileName(image, ctx.version);
  const dest = join(ctx.dir, file);
  const started = Date.now();
  let hashed;
  try {
    if (image.kind === 'root-program') {
      ctx.progress.set(key, 'running-root');
      const ran = await runRootProgram(image, target.outPath, dest, ctx.options.isRoot, (m) =>
        ctx.options.progressOut.write(`${m}\n`),
      );
      ctx.logs.write(key, ran.log);
      hashed = ran.file;
    } else {
      ctx.progress.set(key, 'exporting');
      ctx.progress.line(key, `copying ${artifactSource(image, target.outPath)}`);
      hashed = await exportArtifact(image, target.outPath, dest);
    }
  } catch (error) {
    if (error instanceof RootProgramError) ctx.logs.write(key, error.log);
    ctx.logs.write(key, (error as Error).message);
    finish(ctx, key, 'failed', { reason: (error as Error).message, log: ctx.logs.path(key) });
    return;
  }
  const closure = await closurePromise;
  if (closure instanceof Error) {
    finish(ctx, key, 'failed', { reason: `closure query failed: ${closure.message}` });
    return;
  }
  ctx.artifacts.set(key, {
    ...image,
    file,
    size: hashed.size,
    sha256: hashed.sha256,
    drvPath: target.drvPath,
    outPath: target.outPath,
    ...closure,
    buildSeconds: Math.round((seconds + (Date.now() - started) / 1000) * 10) / 10,
    builtAt: new Date().toISOString(),
  });
  finish(ctx, key, 'built', { file });
}

/** Artifacts of images not selected this time, kept from this version's earlier manifest. */
async function carriedOver(
  ctx: Context,
  previous: DistVersion | null,
  selected: Set<string>,
): Promise<Artifact[]> {
  if (!previous || previous.version !== ctx.version) return [];
  const kept: Artifact[] = [];
  for (const a of previous.manifest.artifacts) {
    if (selected.has(imageKey(a))) continue;
    if (await exists(join(ctx.dir, a.file))) kept.push(a);
  }
  return kept;
}

/**
 * Images of this version without an artifact: this run's failures and skips,
 * plus earlier runs' that were not selected this time. Release refuses a set
 * with any unless --allow-partial.
 */
function missingImages(
  ctx: Context,
  previous: DistVersion | null,
  selected: Set<string>,
  artifacts: Artifact[],
): MissingImage[] {
  const present = new Set(artifacts.map(imageKey));
  const earlier =
    previous?.version === ctx.version
      ? (previous.manifest.missing ?? []).filter((m) => !selected.has(m.key))
      : [];
  const now = [...ctx.results.values()]
    .filter((r) => r.status === 'failed' || r.status === 'not-built' || r.status === 'skipped')
    .map((r) => ({ key: r.key, status: r.status, reason: r.reason ?? '' }));
  return [...earlier, ...now].filter((m) => !present.has(m.key));
}

type Job = { image: ImageSpec; target: BuildTarget };

/** Per image: reuse the previous artifact, skip (plan), or queue for the build. */
async function triage(
  ctx: Context,
  images: ImageSpec[],
  derivations: Instantiated[],
  plan: Plan,
  previous: DistVersion | null,
): Promise<Job[]> {
  const jobs: Job[] = [];
  for (const [i, image] of images.entries()) {
    const drv = derivations[i];
    const entry = plan.entries[i];
    if (!drv || !entry) throw new Error(`nix gave no derivation for ${image.attr}`);
    const key = imageKey(image);
    if (await tryReuse(ctx, image, drv.drvPath, previous)) continue;
    if (entry.action === 'skip') {
      finish(ctx, key, 'skipped', { reason: `${entry.reason}; fix: ${entry.fix}` });
      continue;
    }
    jobs.push({ image, target: { key, drvPath: drv.drvPath, outPath: drv.outPath } });
  }
  return jobs;
}

/**
 * One nix build for all jobs. Each artifact is exported (one at a time) as
 * soon as its output is in the store, while the other images still build:
 * outputs that were already there go first, the rest as their builds end.
 */
async function buildAndExport(ctx: Context, jobs: Job[]): Promise<void> {
  const { options, logs, progress } = ctx;
  const nix = options.nix;
  await logs.open(jobs.map((j) => j.target.key));
  const queued = new Set<string>();
  let exports: Promise<void> = Promise.resolve();
  const enqueue = (job: Job, seconds: number) => {
    if (queued.has(job.target.key)) return;
    queued.add(job.target.key);
    // The closure query runs while earlier artifacts are still being copied;
    // a failed query fails only its image, when its turn comes.
    const closure = closureInfo(job.target.outPath, nix).catch((e: Error) => e);
    exports = exports.then(() => exportOne(ctx, job.image, job.target, seconds, closure));
  };
  const isValid = async (outPaths: string[]) =>
    outPaths.length === 0
      ? new Set<string>()
      : new Set(
          (await nixPathInfo(outPaths, {}, nix).catch(() => []))
            .filter((i) => i.valid)
            .map((i) => i.path),
        );

  const present = await isValid(jobs.map((j) => j.target.outPath));
  for (const job of jobs) {
    if (!present.has(job.target.outPath)) continue;
    logs.write(job.target.key, `${job.target.outPath} was already in the store`);
    enqueue(job, 0);
  }
  // Store checks run one at a time; a request during a check runs it again after.
  let checking: Promise<void> = Promise.resolve();
  let again = false;
  let running = false;
  const check = (secondsOf: (key: string) => number): void => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    checking = (async () => {
      do {
        again = false;
        const open = jobs.filter((j) => !queued.has(j.target.key));
        if (open.length === 0) break;
        const valid = await isValid(open.map((j) => j.target.outPath));
        for (const job of open) {
          if (valid.has(job.target.outPath)) enqueue(job, secondsOf(job.target.key));
        }
      } while (again);
      running = false;
    })();
  };
  const flags = {
    keepGoing: options.keepGoing,
    maxJobs: options.maxJobs,
    builders: options.builders,
    nixVersion: await nixVersionOf(nix),
  };
  const targets = jobs.filter((j) => !queued.has(j.target.key)).map((j) => j.target);
  const outcomes = await buildTargets(targets, flags, logs, progress, nix, check);
  await checking;
  for (const job of jobs) {
    const outcome = outcomes.get(job.target.key);
    if (outcome?.ok) enqueue(job, outcome.seconds);
    else if (outcome) {
      finish(ctx, job.target.key, outcome.notBuilt ? 'not-built' : 'failed', {
        reason: outcome.error ?? 'unknown',
        log: logs.path(job.target.key),
      });
    }
  }
  await exports;
}

export async function buildImages(options: BuildOptions): Promise<BuildSummary> {
  const { nix } = options;
  const images = selectImages(await loadImages(options.flake, nix), options.only);
  const plan = planImages(images, options.facts, { builders: options.builders });
  await mkdir(options.dist, { recursive: true });
  const unlock = await lockDist(options.dist);
  try {
    const sweptTempFiles = await sweepTempFiles(options.dist);
    const versions = await listVersions(options.dist);
    const version = await pickVersion(options, versions);
    checkArtifactNames(images, version);
    const dir = versionDir(options.dist, version);
    await mkdir(dir, { recursive: true });
    const attrPaths = images.map((i) => i.attr.split('.'));
    const derivations = images.length
      ? await nixInstantiateFlakeAttrs(options.flake.ref, attrPaths, nix)
      : [];
    const keys = images.map(imageKey);
    const logs = new ImageLogs(logsDir(options.dist));
    const progress = new Progress(
      keys,
      options.progressOut,
      options.live && !options.verbose,
      Date.now,
      options.verbose === true,
    );
    const ctx: Context = {
      options,
      dir,
      version,
      progress,
      logs,
      artifacts: new Map(),
      results: new Map(),
    };
    const previous = previousOf(versions, version);
    try {
      const toBuild = await triage(ctx, images, derivations, plan, previous);
      await buildAndExport(ctx, toBuild);
    } finally {
      progress.stop();
      await logs.close();
    }
    const built = images
      .map((i) => ctx.artifacts.get(imageKey(i)))
      .filter((a): a is Artifact => !!a);
    const artifacts = [...built, ...(await carriedOver(ctx, previous, new Set(keys)))];
    const missing = missingImages(ctx, previous, new Set(keys), artifacts);
    const manifest: Manifest = {
      schema: MANIFEST_SCHEMA,
      version,
      createdAt: options.now.toISOString(),
      flake: await publishedFlakeRef(options.flake),
      git: options.flake.dir ? await gitState(options.flake.dir) : null,
      flakeLock: await readFlakeLock(options.flake.dir),
      artifacts,
      missing,
    };
    // SHA256SUMS first, manifest last: a manifest's presence means the set is complete.
    await writeFileAtomic(join(dir, SUMS), renderSha256Sums(artifacts));
    await writeFileAtomic(join(dir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
    return {
      version,
      dir,
      manifest: join(dir, MANIFEST),
      results: keys.map((k) => ctx.results.get(k) as ImageResult),
      sweptTempFiles,
    };
  } finally {
    await unlock();
  }
}
