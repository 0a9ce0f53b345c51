// Where release credentials come from, as pure decisions over the
// environment and the text of the usual credentials files: never argv, never
// printed. HTTP stores: CROSSFLAKE_STORE_TOKEN (Bearer), else
// CROSSFLAKE_STORE_USER + CROSSFLAKE_STORE_PASSWORD (Basic), else the
// machine's entry in ~/.netrc. OCI registries: CROSSFLAKE_OCI_USER +
// CROSSFLAKE_OCI_PASSWORD, else `auths` of the Docker config.
import { UserError } from '../../command.js';

export interface BasicCredentials {
  user: string;
  password: string;
}

export type StoreAuth =
  | { kind: 'bearer'; token: string; from: string }
  | ({ kind: 'basic'; from: string } & BasicCredentials)
  | { kind: 'none' };

export function basicHeader(c: BasicCredentials): string {
  return `Basic ${Buffer.from(`${c.user}:${c.password}`, 'utf8').toString('base64')}`;
}

export function authHeader(auth: StoreAuth): Record<string, string> {
  if (auth.kind === 'bearer') return { authorization: `Bearer ${auth.token}` };
  if (auth.kind === 'basic') return { authorization: basicHeader(auth) };
  return {};
}

/** The secret values of an auth, for redacting them from anything shown. */
export function secretsOf(auth: StoreAuth): string[] {
  if (auth.kind === 'bearer') return [auth.token];
  if (auth.kind === 'basic') return [auth.password, basicHeader(auth).slice('Basic '.length)];
  return [];
}

/** The `machine` entries of a netrc file (default last, as its grammar says). */
export function netrcLookup(text: string, host: string): BasicCredentials | null {
  const words = text
    .replace(/#[^\n]*/g, ' ')
    .split(/\s+/)
    .filter(Boolean);
  type Entry = { machine: string | null; login?: string; password?: string };
  let current: Entry | null = null;
  const entries: Entry[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === 'machine') {
      current = { machine: words[++i] ?? '' };
      entries.push(current);
    } else if (w === 'default') {
      current = { machine: null };
      entries.push(current);
    } else if (w === 'macdef') {
      break; // macros run to a blank line; nothing of ours follows them
    } else if (current && (w === 'login' || w === 'password' || w === 'account')) {
      const value = words[++i] ?? '';
      if (w !== 'account') current[w] = value;
    }
  }
  const hit =
    entries.find((e) => e.machine === host) ?? entries.find((e) => e.machine === null) ?? null;
  if (!hit?.login || hit.password === undefined) return null;
  return { user: hit.login, password: hit.password };
}

export function httpStoreAuth(
  env: NodeJS.ProcessEnv,
  host: string,
  netrc: { text: string; path: string } | null,
): StoreAuth {
  const token = env.CROSSFLAKE_STORE_TOKEN?.trim();
  if (token) return { kind: 'bearer', token, from: 'CROSSFLAKE_STORE_TOKEN' };
  const fromEnv = envBasic(env, 'CROSSFLAKE_STORE');
  if (fromEnv) return fromEnv;
  const found = netrc ? netrcLookup(netrc.text, host) : null;
  if (found && netrc) return { kind: 'basic', ...found, from: netrc.path };
  return { kind: 'none' };
}

/** PREFIX_USER and PREFIX_PASSWORD from the environment, both or neither. */
function envBasic(env: NodeJS.ProcessEnv, prefix: string): StoreAuth | null {
  const user = env[`${prefix}_USER`];
  if (user === undefined || user === '') return null;
  const password = env[`${prefix}_PASSWORD`];
  if (password === undefined)
    throw new UserError(`${prefix}_USER is set but ${prefix}_PASSWORD is not; set both`);
  return { kind: 'basic', user, password, from: `${prefix}_USER` };
}

/** `auths` of a Docker config.json for this registry (its `auth` is base64 user:password). */
export function dockerConfigAuth(text: string, registry: string): BasicCredentials | null {
  let data: { auths?: Record<string, { auth?: unknown; username?: unknown; password?: unknown }> };
  try {
    data = JSON.parse(text) as typeof data;
  } catch {
    return null;
  }
  const auths = data.auths ?? {};
  const key = Object.keys(auths).find(
    (k) => k.replace(/^https?:\/\//, '').replace(/\/.*$/, '') === registry,
  );
  const entry = key === undefined ? undefined : auths[key];
  if (!entry) return null;
  if (typeof entry.auth === 'string' && entry.auth) {
    const plain = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = plain.indexOf(':');
    if (colon > 0) return { user: plain.slice(0, colon), password: plain.slice(colon + 1) };
  }
  if (typeof entry.username === 'string' && typeof entry.password === 'string')
    return { user: entry.username, password: entry.password };
  return null;
}

export function ociAuth(
  env: NodeJS.ProcessEnv,
  registry: string,
  docker: { text: string; path: string } | null,
): StoreAuth {
  const fromEnv = envBasic(env, 'CROSSFLAKE_OCI');
  if (fromEnv) return fromEnv;
  const found = docker ? dockerConfigAuth(docker.text, registry) : null;
  if (found && docker) return { kind: 'basic', ...found, from: docker.path };
  return { kind: 'none' };
}
