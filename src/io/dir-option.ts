// The one reading of `--dir DIR` (a repository's root, default: the current
// directory): it must be an existing folder, else one line, exit 2.
import { resolve } from 'node:path';
import { UserError, type ParsedOptions } from '../command.js';
import { exists } from './files.js';
import { isDirectory } from './nix-files.js';

export async function dirOption(opts: ParsedOptions, cwd: string): Promise<string> {
  const given = typeof opts.dir === 'string' ? opts.dir : '.';
  const dir = resolve(cwd, given);
  if (isDirectory(dir)) return dir;
  throw new UserError(
    (await exists(dir))
      ? `--dir ${given} is not a directory; name the repository's folder`
      : `--dir ${given}: no such directory; name the repository's folder`,
  );
}
