// Reads the team config: from the repository root (a missing file is the
// all-defaults config), from a file the user names (doctor --policy), or the
// nearest one above the current directory. An unreadable or invalid file is a
// UserError whose message carries file, line and JSON path.
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { UserError } from '../command.js';
import { DEFAULT_TEAM_CONFIG, type TeamConfig } from './types.js';
import { TeamConfigError, validateTeamConfig } from './validate.js';

export const TEAM_CONFIG_FILE = 'crossflake.json';

/** The one place a team config file is read; null when it does not exist and may be missing. */
async function readTeamConfig(file: string, missingOk: boolean): Promise<TeamConfig | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (missingOk && (error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new UserError(`cannot read ${file}: ${(error as Error).message}`);
  }
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
