// Reads the team config: from the repository root (a missing file is the
// all-defaults config), from a file the user names (doctor --policy), or the
// nearest one above the current directory. An unreadable or invalid file is a
// UserError whose message carries file, line and JSON path.
import { existsSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { UserError } from '../command.js';
import { DEFAULT_TEAM_CONFIG, type TeamConfig } from './types.js';

export const TEAM_CONFIG_FILE = 'crossflake.json';

/**
 * A team config is a few kilobytes. A file far larger is a mistake (a log or
 * a dump saved under the name), and reading and parsing it whole would take
 * the memory of the process: it is refused by its size, before reading.
 */
export const TEAM_CONFIG_MAX_BYTES = 1024 * 1024;

async function readCapped(file: string): Promise<string> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    if (size > TEAM_CONFIG_MAX_BYTES) {
      throw new UserError(
        `${file} is ${(size / 1024 / 1024).toFixed(1)} MiB; a team config is at most ${TEAM_CONFIG_MAX_BYTES / 1024 / 1024} MiB: check that it is the right file`,
      );
    }
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}

/** The one place a team config file is read; null when it does not exist and may be missing. */
async function readTeamConfig(file: string, missingOk: boolean): Promise<TeamConfig | null> {
  let text: string;
  try {
    text = await readCapped(file);
  } catch (error) {
    if (error instanceof UserError) throw error;
    if (missingOk && (error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new UserError(`cannot read ${file}: ${(error as Error).message}`);
  }
  // The validator (ajv, yaml) loads only when a config exists: ci, check
  // and doctor start without it.
  const { TeamConfigError, validateTeamConfig } = await import('./validate.js');
  try {
    return validateTeamConfig(text, file);
  } catch (error) {
    if (error instanceof TeamConfigError) throw new UserError(error.message);
    throw error;
  }
}

export async function loadTeamConfig(repoRoot: string): Promise<TeamConfig> {
  return (await readTeamConfig(join(repoRoot, TEAM_CONFIG_FILE), true)) ?? DEFAULT_TEAM_CONFIG;
}

/** Reads one team config file that must exist (doctor --policy FILE). */
export async function loadTeamConfigFile(file: string): Promise<TeamConfig> {
  return (await readTeamConfig(file, false))!;
}

/** The nearest crossflake.json in `from` or a directory above it, or null. */
export function findTeamConfig(from: string): string | null {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    const file = join(dir, TEAM_CONFIG_FILE);
    if (existsSync(file) && statSync(file).isFile()) return file;
    if (dirname(dir) === dir) return null;
  }
}
