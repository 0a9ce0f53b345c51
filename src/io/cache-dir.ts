// Where crossflake keeps caches: the platform's per-user cache directory, so
// nothing is ever written into the repository being looked at.
import { homedir } from 'node:os';
import { join, win32 } from 'node:path';

/** `home` defaults to the user's home directory; tests pass their own. */
export function userCacheDir(
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  if (env.CROSSFLAKE_CACHE_DIR) return env.CROSSFLAKE_CACHE_DIR;
  if (platform === 'win32')
    return win32.join(
      env.LOCALAPPDATA ?? win32.join(home, 'AppData', 'Local'),
      'crossflake',
      'cache',
    );
  if (platform === 'darwin') return join(home, 'Library', 'Caches', 'crossflake');
  const xdg = env.XDG_CACHE_HOME;
  // The XDG spec ignores a relative XDG_CACHE_HOME.
  return join(xdg && xdg.startsWith('/') ? xdg : join(home, '.cache'), 'crossflake');
}
