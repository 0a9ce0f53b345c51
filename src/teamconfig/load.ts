// Reads the team config from the repository root. A missing file is the
// all-defaults config; an unreadable or invalid one is a UserError whose
// message carries file, line and JSON path.
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../command.js';
import { DEFAULT_TEAM_CONFIG, type TeamConfig } from './types.js';
import { TeamConfigError, validateTeamConfig } from './validate.js';

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

export async function loadTeamConfig(repoRoot: string): Promise<TeamConfig> {
  const file = join(repoRoot, TEAM_CONFIG_FILE);
  let text: string;
  try {
    text = await readCapped(file);
  } catch (error) {
    if (error instanceof UserError) throw error;
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
