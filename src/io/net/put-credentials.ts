// Reads the credentials files the stores use (the decisions about them are in
// images/stores/credentials.ts): ~/.netrc (or $NETRC; _netrc on Windows) for
// HTTP stores, the Docker config ($DOCKER_CONFIG/config.json, else
// ~/.docker/config.json) for OCI registries. A missing file is no credentials.
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

async function readOrNull(path: string): Promise<{ text: string; path: string } | null> {
  try {
    return { text: await readFile(path, 'utf8'), path };
  } catch {
    return null;
  }
}

function home(env: NodeJS.ProcessEnv): string {
  return env.HOME || env.USERPROFILE || homedir();
}

export async function readNetrc(env: NodeJS.ProcessEnv) {
  if (env.NETRC) return readOrNull(env.NETRC);
  return (
    (await readOrNull(join(home(env), '.netrc'))) ??
    (process.platform === 'win32' ? readOrNull(join(home(env), '_netrc')) : null)
  );
}

export async function readDockerConfig(env: NodeJS.ProcessEnv) {
  const dir = env.DOCKER_CONFIG || join(home(env), '.docker');
  return readOrNull(join(dir, 'config.json'));
}
