// The folders images commands read and write (--dist, merge parts, release
// --to) checked before use, so a file, a link or a missing folder ends in
// one line naming it, not in a stack trace from deep inside a copy.
import { lstat } from 'node:fs/promises';
import { EXIT, UserError } from '../command.js';
import { printable } from '../ui/printable.js';

export async function requireDirectory(
  path: string,
  what: string,
  options: { mayBeMissing?: boolean } = {},
): Promise<void> {
  const info = await lstat(path).catch((error: NodeJS.ErrnoException) =>
    error.code === 'ENOENT' ? null : Promise.reject(error),
  );
  const shown = printable(path);
  if (info === null) {
    if (options.mayBeMissing) return;
    throw new UserError(`${what} ${shown} does not exist; give a folder`);
  }
  if (info.isSymbolicLink())
    throw new UserError(`${what} ${shown} is a symbolic link; give the folder it points to`);
  if (!info.isDirectory()) throw new UserError(`${what} ${shown} is a file; give a folder`);
}

/** A file that must exist as itself: not a link, not a folder. */
export async function requireRegularFile(path: string, what: string): Promise<void> {
  const info = await lstat(path).catch(() => null);
  const shown = printable(path);
  if (info === null) throw new UserError(`${what} ${shown} is missing`);
  if (info.isSymbolicLink())
    throw new UserError(`${what} ${shown} is a symbolic link; only regular files are taken`);
  if (!info.isFile()) throw new UserError(`${what} ${shown} is not a regular file`);
}

const ENVIRONMENT_CODES: Record<string, string> = {
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'is a folder where a file was expected',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOENT: 'no such file or folder',
  EEXIST: 'already exists',
  ENOSPC: 'no space left on the device',
  EROFS: 'the file system is read-only',
  ENAMETOOLONG: 'the name is too long',
  ELOOP: 'too many symbolic links',
  EXDEV: 'cannot move across file systems',
};

/** One line for a file-system error the environment caused (null for anything else: a bug). */
export function describeFsError(error: unknown): { message: string; exitCode: number } | null {
  const e = error as NodeJS.ErrnoException;
  if (typeof e?.code !== 'string' || !(e.code in ENVIRONMENT_CODES)) return null;
  const where = e.path ? `${printable(e.path)}: ` : '';
  return {
    message: `${where}${ENVIRONMENT_CODES[e.code]} (${e.code}); check the path and its permissions`,
    exitCode: EXIT.failed,
  };
}
