// The one release target syntax of `images release --to`: github:OWNER/REPO,
// dir:PATH, https://host/path/ (a store that takes HTTP PUT) and
// oci://registry/repository (an OCI registry; the tag is the release tag).
// Pure: parsing only; --github and --dir are spelled as the first two.
import { UserError } from '../../command.js';
import { printable } from '../../ui/printable.js';
import { parseOciReference, type OciReference } from './oci-layout.js';

export type Target =
  | { kind: 'github'; repo: string }
  | { kind: 'dir'; path: string }
  | { kind: 'http'; base: string }
  | { kind: 'oci'; ref: OciReference };

const FORMS = 'github:OWNER/REPO, dir:PATH, https://host/path/ or oci://registry/repository';

/** A store's base URL: http(s), no credentials in it, no query, ending in '/'. */
export function storeBase(text: string, flag = '--to'): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UserError(`${flag} '${printable(text)}' is not a valid URL; give ${FORMS}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new UserError(`${flag} '${printable(text)}' is not a target; give ${FORMS}`);
  if (url.username || url.password)
    throw new UserError(
      `${flag}: put no credentials in the URL (they would be shown and logged); ` +
        'set CROSSFLAKE_STORE_USER and CROSSFLAKE_STORE_PASSWORD, CROSSFLAKE_STORE_TOKEN, or use ~/.netrc',
    );
  if (url.search || url.hash)
    throw new UserError(
      `${flag} '${printable(text)}' has a query or fragment; give the folder URL`,
    );
  // The URL parser folds '..' away; the text as given must not have one.
  const path = text.replace(/^[a-z]+:\/\/[^/]*/i, '').split(/[?#]/)[0] ?? '';
  if (path.split('/').some((s) => s === '..' || s === '.' || /^%2e(%2e)?$/i.test(s)))
    throw new UserError(`${flag} '${printable(text)}' has a '.' or '..' segment`);
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url.toString();
}

export function parseTarget(text: string): Target {
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point
  if (/[\0-\x1f\x7f]/.test(text))
    throw new UserError(`--to '${printable(text)}' has control characters`);
  if (text.startsWith('github:')) return { kind: 'github', repo: text.slice('github:'.length) };
  if (text.startsWith('dir:')) {
    const path = text.slice('dir:'.length);
    if (!path) throw new UserError('--to dir: needs a path, e.g. dir:./published');
    return { kind: 'dir', path };
  }
  if (/^https?:\/\//i.test(text)) return { kind: 'http', base: storeBase(text) };
  if (text.startsWith('oci://')) {
    const ref = parseOciReference(text.slice('oci://'.length), '--to');
    if (ref.tag !== null || ref.digest !== null)
      throw new UserError(
        `--to ${printable(text)}: name the repository only; the tag is the release tag (--tag)`,
      );
    return { kind: 'oci', ref };
  }
  throw new UserError(`--to '${printable(text)}' is not a target; give ${FORMS}`);
}

/**
 * The target from --to, --github or --dir: exactly one of them.
 */
export function pickTarget(to?: string, github?: string, dir?: string): Target {
  const given = [to, github, dir].filter((v) => v !== undefined).length;
  if (given !== 1)
    throw new UserError(
      `give exactly one target: --to (${FORMS}), --github OWNER/REPO or --dir PATH`,
    );
  if (github !== undefined) return { kind: 'github', repo: github };
  if (dir !== undefined) return { kind: 'dir', path: dir };
  return parseTarget(to as string);
}
