// Getting an artifact out of the store into dist/<version>/: copied and hashed
// in one pass, or written by a root program (the WSL tarball builder) into a
// temp name; either way renamed into place only when complete.
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../command.js';
import {
  commitTemp,
  copyFileHashing,
  hashFile,
  tempPathFor,
  type HashedFile,
} from '../io/files.js';
import { nixPathInfo, type NixCallOptions } from '../io/nix.js';
import { run } from '../io/proc.js';
import type { ClosurePath } from './manifest.js';
import type { ImageSpec } from './matrix.js';

/** The file inside the build output that is the artifact (the output itself when `file` is null). */
export function artifactSource(image: ImageSpec, outPath: string): string {
  return image.file === null ? outPath : join(outPath, image.file);
}

export async function exportArtifact(
  image: ImageSpec,
  outPath: string,
  target: string,
  onProgress?: (bytes: number) => void,
): Promise<HashedFile> {
  const source = artifactSource(image, outPath);
  const info = await stat(source).catch(() => null);
  if (!info?.isFile()) {
    const what = info ? 'is not a regular file' : 'does not exist';
    throw new Error(
      `${source} ${what}; the image's "file" must name the artifact inside the build output`,
    );
  }
  // No fsync: the manifest's sha256 is checked again before any reuse or release.
  return copyFileHashing(source, target, { onProgress, durable: false });
}

/** The root program of a root-program image: `file` when given, else the only program in bin/. */
export async function rootProgram(image: ImageSpec, outPath: string): Promise<string> {
  if (image.file !== null) return join(outPath, image.file);
  const bin = join(outPath, 'bin');
  const names = await readdir(bin).catch(() => [] as string[]);
  if (names.length !== 1) {
    throw new Error(
      `${bin} holds ${names.length} programs; a root-program image needs exactly one, ` +
        `or "file" naming it (e.g. bin/nixos-wsl-tarball-builder)`,
    );
  }
  return join(bin, names[0] as string);
}

/**
 * The command line that runs a root program: directly when we are root,
 * through sudo otherwise. Pure, so the sudo decision is testable anywhere.
 */
export function rootCommand(program: string, output: string, isRoot: boolean): [string, string[]] {
  return isRoot ? [program, [output]] : ['sudo', ['--', program, output]];
}

export interface RootRun {
  file: HashedFile;
  log: string;
}

/** Runs the image's root program to write the artifact at `target` (via a temp name). */
export async function runRootProgram(
  image: ImageSpec,
  outPath: string,
  target: string,
  isRoot: boolean,
  notify: (message: string) => void,
): Promise<RootRun> {
  const program = await rootProgram(image, outPath);
  const temp = tempPathFor(target);
  const [command, args] = rootCommand(program, temp, isRoot);
  if (!isRoot) {
    notify(
      `${image.name}-${image.format}: ${program} must run as root (it writes files owned by ` +
        `root into the image); running it with sudo, which may ask for your password`,
    );
  }
  const result = await run(command, args, { env: process.env });
  const log = `${result.stdout.toString('utf8')}${result.stderr.toString('utf8')}`;
  if (result.code !== 0) {
    await rm(temp, { force: true });
    const why = result.failure === 'not-found' ? `${command} not found` : `exit ${result.code}`;
    throw new RootProgramError(`${program} failed (${why})`, log);
  }
  if (!isRoot) {
    const uid = process.getuid?.() ?? 0;
    const gid = process.getgid?.() ?? 0;
    await run('sudo', ['--', 'chown', `${uid}:${gid}`, temp]);
  }
  const info = await stat(temp).catch(() => null);
  if (!info?.isFile())
    throw new RootProgramError(`${program} exited 0 but wrote no file at ${temp}`, log);
  const file = await hashFile(temp);
  await commitTemp(temp, target);
  return { file, log };
}

export class RootProgramError extends Error {
  constructor(
    message: string,
    readonly log: string,
  ) {
    super(message);
    this.name = 'RootProgramError';
  }
}

export interface ClosureInfo {
  closureSize: number;
  largestPaths: ClosurePath[];
}

/** Closure size of `outPath` and its ten largest store paths. */
export async function closureInfo(outPath: string, nix: NixCallOptions): Promise<ClosureInfo> {
  const entries = await nixPathInfo([outPath], { recursive: true, closureSize: true }, nix);
  const own = entries.find((e) => e.path === outPath);
  const largestPaths = entries
    .map((e) => ({ path: e.path, narSize: e.narSize }))
    .sort((a, b) => b.narSize - a.narSize || a.path.localeCompare(b.path))
    .slice(0, 10);
  const closureSize = own?.closureSize ?? entries.reduce((sum, e) => sum + e.narSize, 0);
  return { closureSize, largestPaths };
}

export function assertInside(dir: string, name: string): string {
  if (name.includes('/') || name.includes('\\') || name === '..' || name === '.') {
    throw new UserError(`'${name}' is not a plain file name`);
  }
  return join(dir, name);
}
