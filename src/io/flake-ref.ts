// `--flake` as the user wrote it, turned into what nix gets: a local path
// becomes absolute (builtins.getFlake needs that), path:/git+file: keep their
// scheme, anything else (github:, git+https:) is passed through.
import { isAbsolute, resolve } from 'node:path';
import { UserError } from '../command.js';

export interface FlakeRef {
  /** What nix gets: an absolute path for a local flake, else the reference as given. */
  ref: string;
  /** The local directory of the flake, or null for a remote reference (github:...). */
  dir: string | null;
}

/** Resolves `--flake`: a local path becomes absolute; `path:`/`git+file:` keep their scheme. */
export function resolveFlakeRef(given: string, cwd: string): FlakeRef {
  if (given.includes('#')) {
    throw new UserError(`--flake '${given}': give the flake only, without '#attribute'`);
  }
  const local = /^(path:|git\+file:\/\/)?([^?]*)(\?.*)?$/.exec(given);
  const scheme = /^[a-z][a-z0-9+.-]*:/i.test(given) && !/^(path:|git\+file:)/.test(given);
  if (scheme || !local) return { ref: given, dir: null };
  const path = local[2] ?? '.';
  const dir = isAbsolute(path) ? path : resolve(cwd, path);
  return { ref: `${local[1] ?? ''}${dir}${local[3] ?? ''}`, dir };
}
