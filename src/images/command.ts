// `crossflake images plan|build|copy|release`: the image matrix from one
// configuration, built where this host can, exported with checksums and a
// manifest, pushed to a binary cache and published as a release.
import { resolve } from 'node:path';
import { UserError, type CommandModule, type Io, type ParsedOptions } from '../command.js';

const SUBCOMMANDS = ['plan', 'build', 'copy', 'release', 'merge', 'fetch'] as const;
type Sub = (typeof SUBCOMMANDS)[number];

/** Which options each subcommand accepts (beyond --help). */
const ACCEPTS: Record<Sub, readonly string[]> = {
  plan: ['flake', 'json', 'only', 'builders', 'facts'],
  build: [
    'flake',
    'json',
    'only',
    'builders',
    'facts',
    'dist',
    'keep-going',
    'max-jobs',
    'image-version',
    // The global --verbose; listed so that build's help shows it.
    'verbose',
  ],
  copy: ['flake', 'json', 'only', 'dist', 'to', 'image-version'],
  merge: ['json', 'dist', 'image-version'],
  fetch: ['image', 'to', 'insecure-skip-verify', 'sha256', 'force', 'json', 'ca-file', 'timeout'],
  release: [
    'flake',
    'json',
    'dist',
    'tag',
    'to',
    'github',
    'dir',
    'replace',
    'allow-identifier',
    'allow-unscanned',
    'image-version',
    'allow-partial',
    'part-size',
    'ca-file',
  ],
};

function help(): string {
  return `Usage: crossflake images <plan|build|copy|release|merge|fetch> [options]

Build the image matrix of one configuration (crossflake.images of the flake)
and ship it with checksums and a manifest.

  plan      Which images this host can build, and how; the fix for the rest
  build     Build the images in one nix invocation, export them to dist/<version>/
  copy      Push the built closures to a binary cache (nix copy)
  release   Publish artifacts, SHA256SUMS, manifest and notes (GitHub, a directory,
            an HTTP PUT store or an OCI registry)
  merge     Join per-system dist/ folders (one per CI runner) into --dist:
            crossflake images merge parts/* --dist dist
  fetch     Download one release artifact (resume), verify it against SHA256SUMS:
            crossflake images fetch <release-url | dir> --image NAME [--to DIR]

Options:
  --flake REF             Flake with crossflake.images (default: .)
  --only X[,Y]            Only these images: names, formats and systems (repeatable);
                          values of one kind add up, kinds narrow each other
                          (--only qcow2,iso --only x86_64-linux: both formats, x86_64 only)
  --json                  Machine-readable result on stdout
  --facts FILE            Plan for a recorded HostFacts file instead of this host
  --builders SPEC         Remote builders (nix's builders syntax), replacing nix.conf's
  --dist DIR              Output directory (default: dist)
  --keep-going            build: one failed image does not stop the others
  --max-jobs N            build: parallel builds (default: CPUs, at most one per 2 GiB RAM)
  --verbose               build: stream Nix's build log, each line prefixed with its image
  --image-version V       build: version to build (default: VERSION file, else CalVer
                          YYYY.MM[.N]); copy/release/merge: version in dist/ (default:
                          newest); was --version V
  --to URI                copy: binary cache (file:///path, s3://bucket, ssh-ng://host)
  --tag T                 release: the tag, e.g. v2026.11
  --to TARGET             release: github:OWNER/REPO, dir:PATH, https://store/path/ (HTTP PUT
                          into <path>/<tag>/) or oci://registry/repository (tag = --tag)
  --github OWNER/REPO     release: same as --to github:OWNER/REPO (token: GH_TOKEN, GITHUB_TOKEN or gh)
  --dir PATH              release: same as --to dir:PATH (publish into PATH/<tag>/)
  --replace               release: replace existing assets that differ
  --allow-identifier X    release: accept this personal identifier in the images (repeatable)
  --allow-partial         release: publish although some images failed (the notes list them)
  --allow-unscanned FILE  release: publish this file although the privacy gate cannot read
                          it (a disk image; repeatable)
  --part-size N[K|M|G]    release: publish files over N bytes as numbered parts (fetch joins
                          them); GitHub's 2 GiB limit always applies
  --ca-file PEM           fetch, release: also trust this company CA (also NODE_EXTRA_CA_CERTS
                          and network.caFile in crossflake.json)
  --timeout SECONDS       fetch: fail a download that stalls this long (default 30)
`;
}

function cliOptionsTypes() {
  return {
    flake: { type: 'string' },
    json: { type: 'boolean' },
    only: { type: 'string', multiple: true },
    builders: { type: 'string' },
    facts: { type: 'string' },
    dist: { type: 'string' },
    'keep-going': { type: 'boolean' },
    'max-jobs': { type: 'string' },
    'image-version': { type: 'string' },
    to: { type: 'string' },
    tag: { type: 'string' },
    github: { type: 'string' },
    dir: { type: 'string' },
    replace: { type: 'boolean' },
    'allow-identifier': { type: 'string', multiple: true },
    'allow-unscanned': { type: 'string', multiple: true },
    image: { type: 'string' },
    'insecure-skip-verify': { type: 'boolean' },
    sha256: { type: 'string' },
    force: { type: 'boolean' },
    'allow-partial': { type: 'boolean' },
    'ca-file': { type: 'string' },
    timeout: { type: 'string' },
    'part-size': { type: 'string' },
  } as const;
}

/** Exported for onboard, which checks the `images fetch` line of a plan with it. */
export function checkOptions(sub: Sub, opts: ParsedOptions): void {
  const allowed = new Set([...ACCEPTS[sub], 'help']);
  const extra = Object.keys(opts).filter((k) => opts[k] !== undefined && !allowed.has(k));
  if (extra.length > 0) {
    throw new UserError(`images ${sub} does not take --${extra.join(', --')}`);
  }
}

export interface ImagesContext {
  opts: ParsedOptions;
  /** Positional arguments after the subcommand. */
  params: string[];
  io: Io;
  json: boolean;
  dist: string;
}

async function handler(opts: ParsedOptions, params: string[], io: Io): Promise<number> {
  const [sub, ...rest] = params;
  if (sub === undefined || !(SUBCOMMANDS as readonly string[]).includes(sub)) {
    throw new UserError(
      sub === undefined
        ? `give a subcommand: ${SUBCOMMANDS.join(', ')}`
        : `unknown subcommand '${sub}' (expected ${SUBCOMMANDS.join(', ')})`,
    );
  }
  if (sub === 'fetch') {
    // fetch works on any OS before Nix exists; it has its own small handler.
    checkOptions(sub, opts);
    const { fetchHandler } = await import('./fetch.js');
    return fetchHandler(opts, rest, io);
  }
  // Only merge takes positional arguments (the part folders).
  if (rest.length > 0 && sub !== 'merge') throw new UserError(`unexpected argument '${rest[0]}'`);
  checkOptions(sub as Sub, opts);
  const ctx: ImagesContext = {
    opts,
    params: rest,
    io,
    json: opts.json === true,
    dist: resolve(io.cwd, typeof opts.dist === 'string' ? opts.dist : 'dist'),
  };
  const { runSubcommand } = await import('./subcommands.js');
  return runSubcommand(sub as Exclude<Sub, 'fetch'>, ctx);
}

const command: CommandModule = {
  commandNames: ['images'],
  help,
  subcommandOptions: ACCEPTS,
  // --version V clashed with the global --version.
  renamedOptions: { version: 'image-version' },
  cliOptionsTypes,
  handler,
};

export default command;
