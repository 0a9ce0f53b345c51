// The network part of the team config: the company CA that every download
// and release call, and onboard's Nix, should trust. Found like doctor's
// policy: the nearest crossflake.json in the working directory or above.
import { dirname, resolve } from 'node:path';
import { findTeamConfig, loadTeamConfigFile } from './load.js';

export interface TeamCa {
  /** Absolute path of the PEM file. */
  path: string;
  /** Where it was named, for messages: "<file> network.caFile". */
  from: string;
}

/** The company CA the nearest crossflake.json names, or null (no file, or no network.caFile). */
export async function teamCaFile(cwd: string): Promise<TeamCa | null> {
  const file = findTeamConfig(cwd);
  if (file === null) return null;
  const { network } = await loadTeamConfigFile(file);
  if (network.caFile === null) return null;
  // Relative to the file, so the team repository can carry the CA beside it.
  return { path: resolve(dirname(file), network.caFile), from: `${file} network.caFile` };
}
