// What crossflake puts in an OCI registry, as pure data: the reference
// grammar (registry/repository[:tag|@digest]), one artifact manifest per
// release in the ORAS convention (image manifest with artifactType, the empty
// config of image-spec 1.1, one layer per file with its own media type and an
// org.opencontainers.image.title annotation) and the reading of it back.
import { EXIT, UserError } from '../../command.js';
import { printable } from '../../ui/printable.js';

export const MANIFEST_MEDIA_TYPE = 'application/vnd.oci.image.manifest.v1+json';
export const ARTIFACT_TYPE = 'application/vnd.crossflake.images.release.v1+json';
/** image-spec 1.1's empty descriptor: the two bytes `{}`. */
export const EMPTY_CONFIG = {
  mediaType: 'application/vnd.oci.empty.v1+json',
  digest: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
  size: 2,
  data: 'e30=',
} as const;
export const TITLE = 'org.opencontainers.image.title';

export interface OciReference {
  /** host[:port] */
  registry: string;
  repository: string;
  tag: string | null;
  digest: string | null;
}

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
const DIGEST = /^sha256:[0-9a-f]{64}$/;
const HOST = /^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

export function isOciTag(tag: string): boolean {
  return TAG.test(tag);
}

/** `registry/repository[:tag|@sha256:...]`, as after `oci://`. */
export function parseOciReference(text: string, from: string): OciReference {
  const bad = (why: string) =>
    new UserError(
      `${from} oci://${printable(text)}: ${why}; write oci://registry/repository[:tag]`,
    );
  const slash = text.indexOf('/');
  if (slash <= 0) throw bad('no repository after the registry');
  const registry = text.slice(0, slash);
  if (!HOST.test(registry)) throw bad(`'${registry}' is not a registry host[:port]`);
  let rest = text.slice(slash + 1);
  let digest: string | null = null;
  let tag: string | null = null;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw bad(`'${digest}' is not a sha256 digest`);
  }
  const colon = rest.lastIndexOf(':');
  if (colon >= 0) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) throw bad(`'${tag}' is not a valid tag`);
  }
  if (!rest.split('/').every((c) => COMPONENT.test(c)))
    throw bad(`'${rest}' is not a repository name (lower-case components separated by '/')`);
  return { registry, repository: rest, tag, digest };
}

export function showReference(ref: OciReference): string {
  const suffix = ref.digest ? `@${ref.digest}` : ref.tag ? `:${ref.tag}` : '';
  return `oci://${ref.registry}/${ref.repository}${suffix}`;
}

/** The media type a release file is pushed with: what an `oras pull` user sees. */
export function layerMediaType(file: string): string {
  if (file === 'SHA256SUMS') return 'text/plain';
  if (file === 'manifest.json') return 'application/vnd.crossflake.images.manifest.v1+json';
  if (file.endsWith('.md')) return 'text/markdown';
  const ext = /\.([a-z0-9]+)$/i.exec(file)?.[1]?.toLowerCase() ?? 'bin';
  return `application/vnd.crossflake.image.${ext}`;
}

export interface Layer {
  mediaType: string;
  digest: string;
  size: number;
  annotations: Record<string, string>;
}

export interface ArtifactManifest {
  schemaVersion: 2;
  mediaType: typeof MANIFEST_MEDIA_TYPE;
  artifactType: string;
  config: typeof EMPTY_CONFIG;
  layers: Layer[];
  annotations?: Record<string, string>;
}

/** One manifest for the release; the files in the order given (sums and manifest last). */
export function buildManifest(
  files: { name: string; size: number; sha256: string }[],
  annotations: Record<string, string>,
): ArtifactManifest {
  return {
    schemaVersion: 2,
    mediaType: MANIFEST_MEDIA_TYPE,
    artifactType: ARTIFACT_TYPE,
    config: EMPTY_CONFIG,
    layers: files.map((f) => ({
      mediaType: layerMediaType(f.name),
      digest: `sha256:${f.sha256}`,
      size: f.size,
      annotations: { [TITLE]: f.name },
    })),
    annotations,
  };
}

/** The files of a pulled manifest: title → layer, refusing what is not one of ours to read. */
export function layersByTitle(text: string, where: string): Map<string, Layer> {
  let data: { layers?: unknown };
  try {
    data = JSON.parse(text) as { layers?: unknown };
  } catch {
    throw new UserError(`${where}: the manifest is not JSON`, EXIT.failed);
  }
  if (!Array.isArray(data.layers))
    throw new UserError(`${where}: not an artifact manifest (no layers)`, EXIT.failed);
  const found = new Map<string, Layer>();
  for (const l of data.layers as Layer[]) {
    const title = l?.annotations?.[TITLE];
    if (typeof title !== 'string') continue;
    if (typeof l.digest !== 'string' || !DIGEST.test(l.digest) || !Number.isSafeInteger(l.size))
      throw new UserError(`${where}: layer ${printable(title)} has no valid digest`, EXIT.failed);
    if (found.has(title))
      throw new UserError(`${where}: two layers named ${printable(title)}`, EXIT.failed);
    found.set(title, l);
  }
  return found;
}

export interface Challenge {
  scheme: 'basic' | 'bearer';
  params: Record<string, string>;
}

/** A WWW-Authenticate header (one challenge, as registries send). */
export function parseChallenge(header: string | undefined): Challenge | null {
  if (!header) return null;
  const m = /^\s*(\w+)\s*(.*)$/s.exec(header);
  if (!m) return null;
  const scheme = m[1]!.toLowerCase();
  if (scheme !== 'basic' && scheme !== 'bearer') return null;
  const params: Record<string, string> = {};
  for (const p of m[2]!.matchAll(/(\w+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/g))
    params[p[1]!.toLowerCase()] = (p[2] ?? p[3] ?? '').replace(/\\(.)/g, '$1');
  return { scheme, params };
}

/** The URL of the token service for a Bearer challenge, with service and scope. */
export function tokenUrl(challenge: Challenge, scope: string): string {
  const realm = challenge.params.realm;
  if (!realm) throw new UserError('the registry asks for a token but names no realm', EXIT.failed);
  const url = new URL(realm);
  if (challenge.params.service) url.searchParams.set('service', challenge.params.service);
  url.searchParams.set('scope', scope);
  return url.toString();
}

/** Plain http only for a registry on this machine (as docker allows); https elsewhere. */
export function registryOrigin(registry: string): string {
  const host = registry.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  const loopback = host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
  return `${loopback ? 'http' : 'https'}://${registry}`;
}
