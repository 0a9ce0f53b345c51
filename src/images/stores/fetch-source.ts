// Where `images fetch` (and onboard) read a release kept in company storage:
// an HTTP store's `latest/` resolves through its release.json pointer to the
// release folder; `oci://registry/repository:tag` is read by the registry
// reader. Anything else is left to the ordinary release reader.
import { checkHttpUrl, fetchText, type NetConfig } from '../../io/net/client.js';
import { UserError } from '../../command.js';
import { printable } from '../../ui/printable.js';
import { LATEST_FILE, readLatest } from './http-plan.js';

/** A `.../latest` or `.../latest/` URL as the release folder it points at (else unchanged). */
export async function resolveLatest(source: string, net: NetConfig): Promise<string> {
  if (!/^https?:\/\//i.test(source)) return source;
  const url = checkHttpUrl(source);
  if (!/\/latest\/?$/.test(url.pathname)) return source;
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  const where = new URL(LATEST_FILE, url).toString();
  const text = await fetchText(where, net);
  if (text === null) return source; // not ours: maybe a real folder named latest
  const pointer = readLatest(text);
  if (!pointer || !/^\.\.\/[^/?#]+\/$/.test(pointer.path))
    throw new UserError(
      `${printable(where)} is not a crossflake latest pointer; name the release folder instead`,
      1,
    );
  return new URL(pointer.path, url).toString();
}

export function isOciSource(source: string): boolean {
  return source.startsWith('oci://');
}

/** The newest release in a store: its latest/ folder, or the `latest` tag. */
export function latestOf(store: string): string {
  if (isOciSource(store)) return `${store.replace(/\/+$/, '')}:latest`;
  return `${store.endsWith('/') ? store : `${store}/`}latest/`;
}

/**
 * With no --image, the newest release in the team's storage: `images.store`
 * of the nearest crossflake.json (a team repository's checkout); undefined
 * when there is none.
 */
export async function teamImageSource(cwd: string): Promise<string | undefined> {
  const { findTeamConfig, loadTeamConfigFile } = await import('../../teamconfig/load.js');
  const file = findTeamConfig(cwd);
  const store = file ? (await loadTeamConfigFile(file)).images.store : null;
  return store ? latestOf(store) : undefined;
}
