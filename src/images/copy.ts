// `images copy --to URI`: pushes the built closures to a binary cache with
// `nix copy`, so other machines and CI substitute instead of rebuilding.
import { isAbsolute } from 'node:path';
import { EXIT, UserError } from '../command.js';
import { nixCopyTo } from '../io/nix.js';
import type { ImagesContext } from './command.js';
import { listVersions, type DistVersion } from './dist.js';
import { selectImages } from './matrix.js';
import { listValues } from '../args.js';
import { nixOptions, str, writeJson } from './subcommands.js';

const SCHEMES = ['file', 's3', 'ssh', 'ssh-ng', 'http', 'https', 'gs'];

/** Checks a store URI: a known scheme, and for file:// an absolute path. */
export function validateStoreUri(uri: string): string {
  const match = /^([a-z][a-z0-9+-]*):\/\/(.*)$/.exec(uri);
  if (!match || !SCHEMES.includes(match[1] as string)) {
    throw new UserError(
      `--to '${uri}' is not a store URI; use file:///path, s3://bucket, ssh-ng://host (or ${SCHEMES.join(', ')})`,
    );
  }
  const rest = (match[2] as string).split('?')[0] as string;
  if (match[1] === 'file' && (!isAbsolute(rest) || rest.split('/').includes('..'))) {
    throw new UserError(`--to '${uri}': a file:// cache needs an absolute path without '..'`);
  }
  if (/\s/.test(uri)) throw new UserError(`--to '${uri}' contains white space`);
  return uri;
}

/** The dist/ version a copy or release works on: --image-version, else the newest. */
export async function pickDistVersion(
  dist: string,
  version: string | undefined,
): Promise<DistVersion> {
  const versions = await listVersions(dist);
  const found =
    version === undefined ? versions.at(-1) : versions.find((v) => v.version === version);
  if (!found) {
    throw new UserError(
      version === undefined
        ? `no built images in ${dist}; run 'crossflake images build' first`
        : `version ${version} is not in ${dist} (have: ${versions.map((v) => v.version).join(', ') || 'none'})`,
    );
  }
  return found;
}

export async function copyCommand(ctx: ImagesContext): Promise<number> {
  const to = str(ctx.opts, 'to');
  if (to === undefined)
    throw new UserError('give the binary cache: --to file:///path | s3://bucket | ssh-ng://host');
  const uri = validateStoreUri(to);
  const version = await pickDistVersion(ctx.dist, str(ctx.opts, 'image-version'));
  const artifacts = selectImages(version.manifest.artifacts, listValues(ctx.opts.only));
  const paths = artifacts.map((a) => a.outPath);
  if (!ctx.json) ctx.io.stderr.write(`Copying ${paths.length} closure(s) to ${uri} ...\n`);
  await nixCopyTo(uri, paths, nixOptions(ctx));
  if (ctx.json) writeJson(ctx, { to: uri, version: version.version, paths });
  else ctx.io.stdout.write(`Copied ${paths.length} closure(s) of ${version.version} to ${uri}\n`);
  return EXIT.ok;
}
