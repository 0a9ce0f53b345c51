// `crossflake images fetch <release-url | dir> [--image NAME] [--to DIR]`:
// download one artifact of a release (resuming, with progress) and verify it
// against the release's SHA256SUMS. Also the first step of `onboard wsl`.
import { readFile, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { EXIT, UserError, type Io, type OptionsConfig, type ParsedOptions } from '../command.js';
import { copyFileHashing, hashFile } from '../io/files.js';
import { checkHttpUrl, fetchText, netConfig, type NetConfig } from '../io/net/client.js';
import { ChecksumMismatch, download, type Progress } from '../io/net/download.js';
import { printable } from '../ui/printable.js';
import { parseSha256Sums, Sha256SumsError } from './artifact-name.js';
import { foldParts, manifestHints, type FoldableArtifact } from './asset-parts.js';
import { fetchJoined } from './fetch-parts.js';
import { DEFAULT_RETRY } from '../io/net/retry.js';
import { kindOf, requirePlainFileOrNothing } from '../io/net/local-files.js';
import { formatBytes, progressBar } from '../ui/download-progress.js';
import { writeEnvelope } from '../ui/json.js';

export const SUMS_FILE = 'SHA256SUMS';
export const MANIFEST_FILE = 'manifest.json';

/** One artifact of a release, as fetch offers it (a file in parts is one artifact). */
export type ReleaseArtifact = FoldableArtifact;

export interface Release {
  /** Where the release lives: a URL ending in '/', or a local directory. */
  base: string;
  local: boolean;
  /** null when the release has no SHA256SUMS at all. */
  sums: Map<string, string> | null;
  artifacts: ReleaseArtifact[];
  /** The file the source named directly, if it named one. */
  named: string | null;
  /** The HTTP settings to read it with (with the store's credentials, when it is one). */
  net?: NetConfig;
  /** A store with its own reader (an OCI registry) instead of base + file name. */
  reader?: (
    file: string,
    target: string,
    expected: string | null,
    options: FetchOptions,
  ) => Promise<{ size: number; sha256: string; resumedFrom?: number }>;
}

/** An artifact name from a release: a plain file name, nothing that walks a path. */
export function isPlainFileName(name: string): boolean {
  return (
    name.length > 0 &&
    name.length <= 255 &&
    !/[\\/\0:]/.test(name) &&
    name !== '.' &&
    name !== '..' &&
    !name.startsWith('-')
  );
}

const ARTIFACT_EXT = /\.(wsl|tar|gz|xz|zst|qcow2|iso|img|raw|vdi|ova|vmdk|vhdx|zip)$/i;

/** The file name a URL's last segment spells, refused when its %-escapes are broken. */
function decodedName(segment: string, source: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new UserError(
      `'${printable(source)}' has a malformed %-escape in its file name; write % as %25`,
    );
  }
}

/** Splits a source into the release location and the file it names, if any. */
export function locateRelease(
  source: string,
  cwd: string,
): { base: string; local: boolean; named: string | null } {
  if (/^https?:\/\//i.test(source)) {
    const url = checkHttpUrl(source);
    // A GitHub release page: its assets live under releases/download/<tag>/.
    const page = /^(\/[^/]+\/[^/]+)\/releases\/tag\/([^/]+)\/?$/.exec(url.pathname);
    if (url.hostname === 'github.com' && page) {
      return {
        base: `${url.origin}${page[1]}/releases/download/${page[2]}/`,
        local: false,
        named: null,
      };
    }
    const last = url.pathname.split('/').at(-1) ?? '';
    if (ARTIFACT_EXT.test(last)) {
      return {
        base: new URL('./', url).toString(),
        local: false,
        named: decodedName(last, source),
      };
    }
    url.pathname = url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`;
    return { base: url.toString(), local: false, named: null };
  }
  return { base: resolve(cwd, source), local: true, named: null };
}

async function readLocal(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return null;
  }
}

/** SHA256SUMS in the one artifact-name grammar; a bad line is named by file and line number. */
function sumsOf(text: string, where: string): Map<string, string> {
  try {
    return parseSha256Sums(text);
  } catch (error) {
    if (!(error instanceof Sha256SumsError)) throw error;
    throw new UserError(
      `${printable(where)}:${error.line}: ${printable(error.reason)}`,
      EXIT.failed,
    );
  }
}

/**
 * Reads the release's SHA256SUMS (and manifest.json, for formats, systems
 * and the digests of files published in parts).
 */
export async function loadRelease(
  source: string,
  cwd: string,
  net: NetConfig = netConfig(process.env),
): Promise<Release> {
  // Company storage (issue 21): oci:// references and an HTTP store's latest/.
  const stores = await import('./stores/fetch-source.js');
  if (stores.isOciSource(source))
    return (await import('./stores/oci-fetch.js')).loadOci(source, net);
  net = await (await import('./stores/read-auth.js')).withStoreAuth(net, source);
  source = await stores.resolveLatest(source, net);
  let { base, named } = locateRelease(source, cwd);
  const { local } = locateRelease(source, cwd);
  if (local) {
    const info = await stat(base).catch(() => null);
    if (!info) throw new UserError(`${base}: no such file or directory`);
    if (info.isFile()) {
      named = basename(base);
      base = dirname(base);
    }
  }
  const get = (file: string) =>
    local ? readLocal(join(base, file)) : fetchText(new URL(file, base).toString(), net);
  // Both at once, but a failure is reported for SHA256SUMS first: the same
  // cause always gives the same message.
  const [sumsGot, manifestGot] = await Promise.allSettled([get(SUMS_FILE), get(MANIFEST_FILE)]);
  if (sumsGot.status === 'rejected') throw sumsGot.reason;
  if (manifestGot.status === 'rejected') throw manifestGot.reason;
  const [sumsText, manifestText] = [sumsGot.value, manifestGot.value];
  const where = local ? join(base, SUMS_FILE) : new URL(SUMS_FILE, base).toString();
  const sums = sumsText === null ? null : sumsOf(sumsText, where);
  const hints = manifestHints(manifestText);
  const names = new Set([...(sums?.keys() ?? []), ...hints.keys(), ...(named ? [named] : [])]);
  const plain = [...names].sort().map((file) => ({
    file,
    sha256: sums?.get(file) ?? null,
    format: hints.get(file)?.format ?? null,
    system: hints.get(file)?.system ?? null,
  }));
  return { base, local, sums, artifacts: foldParts(plain, sums, hints), named, net };
}

/**
 * The artifact to fetch: the one `image` names (exact file name, or a unique
 * prefix), else the one the source named, else the only one `want` accepts.
 */
export function pickArtifact(
  release: Release,
  image: string | undefined,
  want: (a: ReleaseArtifact) => boolean = () => true,
  flag = '--image',
): ReleaseArtifact {
  const list = () => release.artifacts.map((a) => `  ${a.file}`).join('\n') || '  (none)';
  const name = image ?? release.named;
  if (name) {
    const exact = release.artifacts.find((a) => a.file === name);
    if (exact) return exact;
    const prefixed = release.artifacts.filter((a) => a.file.startsWith(name));
    if (prefixed.length === 1) return prefixed[0]!;
    const why =
      prefixed.length > 1
        ? `'${name}' matches several artifacts`
        : `no artifact '${name}' in the release`;
    throw new UserError(`${why}; it has:\n${list()}`, EXIT.failed);
  }
  const candidates = release.artifacts.filter(want);
  if (candidates.length === 1) return candidates[0]!;
  const why = candidates.length === 0 ? 'no suitable artifact' : 'several artifacts fit';
  throw new UserError(`${why} in the release; choose one with ${flag}:\n${list()}`);
}

const SHA256_HEX = /^[0-9a-fA-F]{64}$/;

/**
 * `--sha256 <hex>`: the expected hash of an artifact the release does not
 * list (a lone file without SHA256SUMS). A hash that contradicts SHA256SUMS is
 * refused rather than silently preferred.
 */
export function withGivenSha256(
  artifact: ReleaseArtifact,
  given: string | undefined,
): ReleaseArtifact {
  if (given === undefined) return artifact;
  if (!SHA256_HEX.test(given)) {
    throw new UserError(`--sha256 '${given}' is not a SHA-256 (64 hexadecimal digits)`);
  }
  const wanted = given.toLowerCase();
  if (artifact.sha256 !== null && artifact.sha256 !== wanted) {
    throw new UserError(
      `--sha256 ${wanted} contradicts ${SUMS_FILE}, which says ${artifact.sha256} for ${artifact.file}`,
    );
  }
  return { ...artifact, sha256: wanted };
}

export interface FetchResult {
  file: string;
  path: string;
  size: number;
  sha256: string;
  verified: boolean;
  /** The file was already there with the right checksum. */
  reused: boolean;
  resumedFrom: number;
}

export interface FetchOptions {
  insecureSkipVerify?: boolean;
  force?: boolean;
  onProgress?: (p: Progress) => void;
  warn?: (message: string) => void;
  net?: NetConfig;
}

function expectedSum(
  release: Release,
  artifact: ReleaseArtifact,
  options: FetchOptions,
): string | null {
  if (artifact.sha256) return artifact.sha256;
  const why = release.sums
    ? `${SUMS_FILE} has no entry for ${artifact.file}`
    : `the release has no ${SUMS_FILE}`;
  if (!options.insecureSkipVerify) {
    throw new UserError(
      `refusing ${artifact.file}: ${why}, so it cannot be verified (--insecure-skip-verify to take it anyway)`,
      EXIT.failed,
    );
  }
  options.warn?.(`warning: ${why}; ${artifact.file} is NOT verified (--insecure-skip-verify)`);
  return null;
}

/** Downloads (or copies) one artifact into `toDir` and verifies it. */
export async function fetchArtifact(
  release: Release,
  artifact: ReleaseArtifact,
  toDir: string,
  options: FetchOptions = {},
): Promise<FetchResult> {
  if (!isPlainFileName(artifact.file)) {
    throw new UserError(`unsafe artifact name '${artifact.file}'`, EXIT.failed);
  }
  if (artifact.problem !== undefined) {
    throw new UserError(`refusing ${artifact.file}: ${artifact.problem}`, EXIT.failed);
  }
  if (release.net) options = { ...options, net: release.net };
  const expected = expectedSum(release, artifact, options);
  await requireDirectoryOrNothing(toDir);
  const target = join(toDir, artifact.file);
  const base = { file: artifact.file, path: target, verified: expected !== null, resumedFrom: 0 };
  if ((await requirePlainFileOrNothing(target, 'the artifact')) === 'file') {
    const have = await hashFile(target);
    if (expected === null || have.sha256 === expected) return { ...base, ...have, reused: true };
    if (!options.force) {
      throw new UserError(
        `${target} exists with a different SHA-256 (${have.sha256}, the release says ${expected}); remove it or pass --force`,
        EXIT.failed,
      );
    }
  }
  if (release.reader) {
    const got = await release.reader(artifact.file, target, expected, options);
    return { ...base, ...got, reused: false };
  }
  if (artifact.parts && expected !== null) {
    const got = await fetchJoined(
      release,
      { ...artifact, parts: artifact.parts },
      target,
      expected,
      options,
    );
    return { ...base, ...got, reused: false };
  }
  if (release.local) {
    const source = join(release.base, artifact.file);
    const info = await stat(source).catch(() => null);
    if (!info?.isFile()) {
      const why = info ? 'is not a regular file' : 'does not exist';
      throw new UserError(`${printable(source)} ${why}; name an artifact file of the release`);
    }
    const total = info.size;
    const copied = await copyFileHashing(source, target, {
      onProgress: (received) => options.onProgress?.({ received, total, resumedFrom: 0 }),
    });
    if (expected !== null && copied.sha256 !== expected) {
      await rm(target, { force: true });
      throw new ChecksumMismatch(artifact.file, expected, copied.sha256);
    }
    return { ...base, ...copied, reused: false };
  }
  const got = await download(new URL(artifact.file, release.base).toString(), target, {
    expectedSha256: expected,
    onProgress: options.onProgress,
    net: options.net,
  });
  return {
    ...base,
    size: got.size,
    sha256: got.sha256,
    reused: false,
    resumedFrom: got.resumedFrom,
  };
}

/** --to must be a directory (or not exist yet: it is made). */
async function requireDirectoryOrNothing(dir: string): Promise<void> {
  const kind = await kindOf(dir).catch(() => 'other' as const);
  if (kind === 'missing' || kind === 'dir') return;
  if (kind === 'link' && (await stat(dir).catch(() => null))?.isDirectory()) return;
  throw new UserError(
    `--to ${printable(dir)} is not a directory; name a directory (it is made if missing)`,
  );
}

/**
 * Proxy, CA and timeout settings from the environment and the flags. The
 * company CA is --ca-file, else the nearest crossflake.json's network.caFile.
 */
export async function netFromOptions(
  opts: ParsedOptions,
  io: Pick<Io, 'env' | 'cwd'>,
): Promise<NetConfig> {
  const env = io.env;
  const overrides: Partial<NetConfig> = {};
  if (typeof opts['ca-file'] === 'string') {
    overrides.caFile = resolve(io.cwd, opts['ca-file']);
  } else {
    const { teamCaFile } = await import('../teamconfig/network.js');
    const team = await teamCaFile(io.cwd);
    if (team) Object.assign(overrides, { caFile: team.path, caFrom: team.from });
  }
  if (typeof opts.timeout === 'string') {
    const secs = Number(opts.timeout);
    if (!/^\d+(\.\d+)?$/.test(opts.timeout) || secs <= 0 || secs > 3600) {
      throw new UserError(
        `--timeout '${printable(opts.timeout)}' is not a number of seconds (0 < s <= 3600)`,
      );
    }
    overrides.stallTimeoutMs = secs * 1000;
  }
  const retries = env.CROSSFLAKE_RETRIES;
  if (retries !== undefined && retries !== '') {
    if (!/^\d{1,2}$/.test(retries)) {
      throw new UserError(
        `CROSSFLAKE_RETRIES '${printable(retries)}' is not a number from 0 to 99`,
      );
    }
    overrides.retry = { ...DEFAULT_RETRY, retries: Number(retries) };
  }
  return netConfig(env, overrides);
}

export function fetchOptionsTypes(): OptionsConfig {
  return {
    image: { type: 'string' },
    to: { type: 'string' },
    'insecure-skip-verify': { type: 'boolean' },
    sha256: { type: 'string' },
    force: { type: 'boolean' },
    'ca-file': { type: 'string' },
    timeout: { type: 'string' },
    json: { type: 'boolean' },
  };
}

export const fetchHelp = `Usage: crossflake images fetch <release-url | dir | file> [--image NAME] [--to DIR]

Download one artifact of a release and verify its SHA-256 against the
release's SHA256SUMS. An interrupted download resumes where it stopped.

  <release-url>   https://host/path/ (a directory with SHA256SUMS), a GitHub
                  release page (.../releases/tag/T), or an artifact's URL
  <dir | file>    a release directory on disk, or one artifact in it

Options:
  --image NAME              Artifact file name (or a unique prefix of it)
  --to DIR                  Where to put it (default: the current directory)
  --sha256 HEX              The expected SHA-256 of an artifact SHA256SUMS does not
                            list (a lone file)
  --insecure-skip-verify    Accept an artifact that SHA256SUMS does not list
  --force                   Replace a file in DIR whose checksum differs
  --ca-file PEM             Also trust these CA certificates (a company CA);
                            default: network.caFile of the nearest crossflake.json;
                            NODE_EXTRA_CA_CERTS is read too
  --timeout SECONDS         Fail a download that stalls this long (default 30)
  --json                    Print the result as JSON

Proxies: HTTPS_PROXY, HTTP_PROXY and NO_PROXY (either case) are honoured.
Failed connections, HTTP 429 and 5xx are retried with back-off (5 times;
CROSSFLAKE_RETRIES=N to change).
`;

export function reportMismatch(io: Io, error: ChecksumMismatch): void {
  io.stderr.write(
    `crossflake: refusing ${error.file}: SHA-256 mismatch\n` +
      `  expected ${error.expected} (SHA256SUMS)\n` +
      `  actual   ${error.actual}\n` +
      'The bad file was removed.\n',
  );
}

export async function fetchHandler(opts: ParsedOptions, params: string[], io: Io): Promise<number> {
  const [source, extra] = params;
  if (source === undefined) throw new UserError('images fetch needs a release URL or directory');
  if (extra !== undefined) throw new UserError(`unexpected argument '${extra}'`);
  const toDir = resolve(io.cwd, typeof opts.to === 'string' ? opts.to : '.');
  const net = await netFromOptions(opts, io);
  await requireDirectoryOrNothing(toDir);
  const release = await loadRelease(source, io.cwd, net);
  const artifact = withGivenSha256(
    pickArtifact(release, typeof opts.image === 'string' ? opts.image : undefined),
    typeof opts.sha256 === 'string' ? opts.sha256 : undefined,
  );
  const bar = opts.json ? null : progressBar(io.stderr, artifact.file);
  try {
    const result = await fetchArtifact(release, artifact, toDir, {
      insecureSkipVerify: opts['insecure-skip-verify'] === true,
      force: opts.force === true,
      onProgress: bar ? (p) => bar.update(p) : undefined,
      warn: (m) => io.stderr.write(`${m}\n`),
      net,
    });
    bar?.done();
    if (opts.json) {
      writeEnvelope(io, 'images', { source, ...result });
      return EXIT.ok;
    }
    const how = result.reused
      ? 'already there'
      : result.resumedFrom > 0
        ? `resumed at ${formatBytes(result.resumedFrom)}`
        : 'downloaded';
    io.stdout.write(
      `${result.path} (${formatBytes(result.size)}, ${how})\n` +
        `  sha256 ${result.sha256} ${result.verified ? 'matches SHA256SUMS' : 'NOT VERIFIED'}\n`,
    );
    return EXIT.ok;
  } catch (error) {
    bar?.done();
    if (error instanceof ChecksumMismatch) {
      if (opts.json) {
        const message = `refusing ${error.file}: SHA-256 mismatch (expected ${error.expected}, actual ${error.actual}); the bad file was removed`;
        writeEnvelope(io, 'images', { source }, { code: 'checksum-mismatch', message });
      } else reportMismatch(io, error);
      return EXIT.failed;
    }
    throw error;
  }
}
