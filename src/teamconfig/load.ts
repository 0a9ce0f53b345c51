// Reads the team config from the repository root. A missing file is the
// all-defaults config; an unreadable or invalid one is a UserError whose
// message carries file, line and JSON path.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../command.js';
import { DEFAULT_TEAM_CONFIG, type TeamConfig } from './types.js';
import { TeamConfigError, validateTeamConfig } from './validate.js';

export const TEAM_CONFIG_FILE = 'crossflake.json';

export async function loadTeamConfig(repoRoot: string): Promise<TeamConfig> {
  const file = join(repoRoot, TEAM_CONFIG_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return DEFAULT_TEAM_CONFIG;
    throw new UserError(`cannot read ${file}: ${(error as Error).message}`);
  }
  try {
    return validateTeamConfig(text, file);
  } catch (error) {
    if (error instanceof TeamConfigError) throw new UserError(error.message);
    throw error;
  }
}
