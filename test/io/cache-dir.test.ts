// Where each platform keeps per-user caches.
import { describe, expect, it } from 'vitest';
import { userCacheDir } from '../../src/io/cache-dir.js';

describe('userCacheDir', () => {
  it('follows XDG on Linux, ignoring a relative XDG_CACHE_HOME', () => {
    expect(userCacheDir({}, 'linux', '/home/u')).toBe('/home/u/.cache/crossflake');
    expect(userCacheDir({ XDG_CACHE_HOME: '/var/cache/u' }, 'linux', '/home/u')).toBe(
      '/var/cache/u/crossflake',
    );
    expect(userCacheDir({ XDG_CACHE_HOME: 'rel/cache' }, 'linux', '/home/u')).toBe(
      '/home/u/.cache/crossflake',
    );
  });

  it('uses ~/Library/Caches on macOS and %LOCALAPPDATA% on Windows', () => {
    expect(userCacheDir({}, 'darwin', '/Users/u')).toBe('/Users/u/Library/Caches/crossflake');
    expect(
      userCacheDir({ LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local' }, 'win32', 'C:\\Users\\u'),
    ).toBe('C:\\Users\\u\\AppData\\Local\\crossflake\\cache');
    expect(userCacheDir({}, 'win32', 'C:\\Users\\u')).toBe(
      'C:\\Users\\u\\AppData\\Local\\crossflake\\cache',
    );
  });

  it('CROSSFLAKE_CACHE_DIR wins everywhere', () => {
    for (const platform of ['linux', 'darwin', 'win32'] as const)
      expect(userCacheDir({ CROSSFLAKE_CACHE_DIR: '/tmp/c' }, platform, '/h')).toBe('/tmp/c');
  });
});
