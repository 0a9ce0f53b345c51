// The facts a command decides on: a recorded file when the user gives one,
// else this machine's. The validator (ajv) loads only for a file, keeping it
// off the start-up path of a plain `crossflake doctor`.
import type { HostFacts } from './facts.js';
import { collectFacts } from './index.js';

export async function loadFacts(
  factsFile: string | undefined,
  env: NodeJS.ProcessEnv,
  tools: readonly string[] = [],
): Promise<HostFacts> {
  if (factsFile === undefined) return collectFacts({ env, tools });
  const { readFactsFile } = await import('./facts-file.js');
  return readFactsFile(factsFile);
}
