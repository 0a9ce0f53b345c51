// Which build of crossflake is running: scripts/build.mjs replaces
// __CROSSFLAKE_BUILD__ with a hash of the sources and data it bundled, so a
// cache written by one build is never read by another.
declare const __CROSSFLAKE_BUILD__: string | undefined;

/** Null when running from source (tests), where no build hash exists. */
export const BUILD_ID: string | null =
  typeof __CROSSFLAKE_BUILD__ === 'string' ? __CROSSFLAKE_BUILD__ : null;
