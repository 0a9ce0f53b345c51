// Reads a repository and analyses it, or reuses the last analysis when no
// .nix file changed (see cache.ts). The cache lives in the user's cache
// directory, never in the repository, and a cache that cannot be read or
// written only costs time.
//
// A reused run is mostly Node's own start-up, so its path loads nothing it
// does not need: the parser, the rules and node:crypto come in only when a
// file has to be analysed or hashed.
import { Buffer } from 'node:buffer';
import { join, resolve } from 'node:path';
import { BUILD_ID } from '../build-id.js';
import { UserError, type Io, type ParsedOptions } from '../command.js';
import { userCacheDir } from '../io/cache-dir.js';
import { readCacheFile, writeCacheFile } from '../io/cache-file.js';
import {
  isDirectory,
  listNixFiles,
  readNixFiles,
  stampNixFiles,
  type FileStamp,
  type ScannedFile,
} from '../io/nix-files.js';
import {
  cacheKey,
  CACHE_SCHEMA,
  decodeEntry,
  encodeEntry,
  entryName,
  firstChanged,
  reuse,
  trustedStamp,
  type CacheMeta,
} from './cache.js';
import type { AnalysisReport } from './model.js';

export interface Loaded {
  root: string;
  /** The report as `--json` prints it (UTF-8); written out when first read, if it was just made. */
  readonly json: string | Uint8Array;
  /** Parsed from `json` when first read. */
  readonly report: AnalysisReport;
  /** Whether the last analysis was reused. */
  cached: boolean;
}

export interface LoadSettings {
  /** Overrides BUILD_ID (tests run from source, where there is none). */
  build?: string | null;
}

function reportJson(report: AnalysisReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

function loaded(root: string, json: string | Uint8Array, cached: boolean): Loaded {
  let parsed: AnalysisReport | undefined;
  return {
    root,
    json,
    cached,
    get report() {
      const text = typeof json === 'string' ? json : Buffer.from(json).toString('utf8');
      return (parsed ??= JSON.parse(text) as AnalysisReport);
    },
  };
}

// A fresh report is printed from the object (writeEnvelope): its text is made
// only for the cache, or for a caller that asks.
function made(root: string, report: AnalysisReport, json: string | null): Loaded {
  let text = json;
  return {
    root,
    cached: false,
    report,
    get json() {
      return (text ??= reportJson(report));
    },
  };
}

function identifiersOf(opts: ParsedOptions): string[] {
  const ids = (Array.isArray(opts.identifier) ? opts.identifier : []).filter(
    (x): x is string => typeof x === 'string',
  );
  for (const id of ids)
    if (id.trim().length < 2)
      throw new UserError(`--identifier ${JSON.stringify(id)} is too short to search for`);
  return ids;
}

async function sha256Of(files: ScannedFile[]): Promise<string[]> {
  const { createHash } = await import('node:crypto');
  return files.map((f) => createHash('sha256').update(f.bytes).digest('hex'));
}

export async function loadAnalysis(
  repoArg: string | undefined,
  opts: ParsedOptions,
  io: Io,
  settings: LoadSettings = {},
): Promise<Loaded> {
  if (!repoArg)
    throw new UserError('name the repository to analyse, e.g. `crossflake extract analyze .`');
  const root = resolve(io.cwd, repoArg);
  if (!isDirectory(root)) throw new UserError(`${repoArg} is not a directory`);
  const identifiers = identifiersOf(opts);
  const startedAt = Date.now();
  const paths = listNixFiles(root);
  if (paths.length === 0) throw new UserError(`${repoArg} has no .nix files`);

  const build = settings.build === undefined ? BUILD_ID : settings.build;
  const useCache = build !== null && opts['no-cache'] !== true;
  const cacheFile = join(userCacheDir(io.env), 'extract', entryName(root));
  const key = useCache ? cacheKey({ build, root, rootArg: repoArg, identifiers }) : '';
  // Stamps only serve the cache: --no-cache spares a stat per file.
  const stamps = useCache ? stampNixFiles(root, paths) : [];
  if (useCache) {
    const hit = await reusable(cacheFile, key, root, stamps, startedAt);
    if (hit !== null) {
      if (io.stderr.isTTY)
        io.stderr.write(`${paths.length} .nix files unchanged: reusing their analysis\n`);
      return loaded(root, hit, true);
    }
  }

  if (io.stderr.isTTY) io.stderr.write(`parsing and classifying ${paths.length} .nix files...\n`);
  // The analysis loads while the files are read. The reads are synchronous:
  // the page cache answers at once, and the thread pool's reads would compete
  // with the parser for the CPU (read-ahead cost twice the CPU time here).
  const analyzing = import('./analyze.js');
  const scanning = import('./secret-scan.js');
  const files = readNixFiles(root, paths);
  const { builtSecretWorker, startSecretScan } = await scanning;
  const scan = startSecretScan(
    files.map((f) => f.bytes),
    builtSecretWorker(import.meta.url),
  );
  const { analyze } = await analyzing;
  let report: AnalysisReport;
  try {
    report = analyze(files, { root: repoArg, identifiers, secretScan: scan?.lookup });
  } finally {
    scan?.stop();
  }
  if (!useCache) return made(root, report, null);
  const json = reportJson(report);
  const hashes = await sha256Of(files);
  const meta: CacheMeta = {
    schema: CACHE_SCHEMA,
    key,
    hashedAt: startedAt,
    files: stamps.map((s, i) => ({ ...s, sha256: hashes[i]! })),
  };
  await writeEntry(cacheFile, meta, json);
  return made(root, report, json);
}

/** The cached report, or null when it cannot be reused. */
async function reusable(
  cacheFile: string,
  key: string,
  root: string,
  stamps: FileStamp[],
  startedAt: number,
): Promise<Uint8Array | null> {
  const bytes = readCacheFile(cacheFile);
  const entry = bytes === null ? null : decodeEntry(bytes);
  if (!entry) return null;
  const verdict = reuse(entry.meta, key, stamps);
  if (verdict.kind === 'miss') return null;
  if (verdict.rehash.length === 0) return entry.json;
  const fresh = readNixFiles(
    root,
    verdict.rehash.map((i) => stamps[i]!.path),
  );
  const hashes = await sha256Of(fresh);
  if (firstChanged(entry.meta, new Map(verdict.rehash.map((i, k) => [i, hashes[k]!]))) >= 0)
    return null;
  // Same content under new stamps (a touch, a checkout, a file written just
  // before the last run): record them, so the next run trusts stat again.
  // Pointless while a file is still too new for its stamp to be trusted.
  const settled = verdict.rehash.some((i) => trustedStamp(stamps[i]!, startedAt));
  if (!settled) return entry.json;
  const meta: CacheMeta = {
    ...entry.meta,
    hashedAt: startedAt,
    files: entry.meta.files.map((f, i) => ({ ...stamps[i]!, sha256: f.sha256 })),
  };
  await writeEntry(cacheFile, meta, entry.json);
  return entry.json;
}

async function writeEntry(
  cacheFile: string,
  meta: CacheMeta,
  json: string | Uint8Array,
): Promise<void> {
  await writeCacheFile(cacheFile, encodeEntry(meta, json));
}
