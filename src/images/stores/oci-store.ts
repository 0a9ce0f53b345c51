// A release to an OCI registry: every file a blob (skipped when the registry
// has it), then one artifact manifest under the release tag, then the same
// manifest under `latest` unless that names a newer release. An unfinished
// blob upload is remembered in dist/<version>/ so a killed release resumes it.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { readTextOrNull, writeFileAtomic } from '../../io/files.js';
import { OciRegistry, type UploadState } from '../../io/net/oci.js';
import type { PublishFile, PublishReport } from '../publish.js';
import { compareVersionStrings } from '../version.js';
import { uploadOrder } from './http-plan.js';
import { buildManifest, EMPTY_CONFIG, layersByTitle, showReference } from './oci-layout.js';

export const UPLOAD_STATE = '.crossflake-oci-uploads.json';
const VERSION_KEY = 'org.opencontainers.image.version';

export interface OciReleaseOptions {
  registry: OciRegistry;
  replace: boolean;
  /** dist/<version>/, where unfinished uploads are remembered. */
  stateDir: string;
  log?: (message: string) => void;
}

type States = Record<string, UploadState>;

async function loadStates(path: string, key: string): Promise<States> {
  try {
    const data = JSON.parse((await readTextOrNull(path)) ?? '{}') as Record<string, States>;
    return data[key] ?? {};
  } catch {
    return {};
  }
}

/** Which files differ from what the tag's manifest already holds (null: no manifest). */
function differing(held: Buffer | null, files: PublishFile[], where: string): string[] | null {
  if (held === null) return null;
  const layers = layersByTitle(held.toString('utf8'), where);
  const names = new Set(files.map((f) => f.name));
  return [
    ...files.filter((f) => layers.get(f.name)?.digest !== `sha256:${f.sha256}`).map((f) => f.name),
    ...[...layers.keys()].filter((n) => !names.has(n)),
  ];
}

export async function publishToOci(
  tag: string,
  version: string,
  files: PublishFile[],
  options: OciReleaseOptions,
): Promise<PublishReport> {
  const { registry } = options;
  const target = showReference({ ...registry.ref, tag });
  await registry.login('pull,push');
  const ordered = uploadOrder(files);
  const held = await registry.getManifest(tag);
  const diff = differing(held, ordered, target);
  if (diff !== null && diff.length > 0 && !options.replace)
    return {
      target,
      files: diff.map((name) => ({ name, action: 'conflict' as const })),
      conflicts: diff,
    };
  const statePath = join(options.stateDir, UPLOAD_STATE);
  const key = `${registry.ref.registry}/${registry.ref.repository}`;
  const states = await loadStates(statePath, key);
  const save = (digest: string) => async (state: UploadState | null) => {
    if (state) states[digest] = state;
    else delete states[digest];
    await writeFileAtomic(statePath, `${JSON.stringify({ [key]: states }, null, 2)}\n`);
  };
  const report: PublishReport['files'] = [];
  const config = { data: Buffer.from('{}') };
  if (!(await registry.hasBlob(EMPTY_CONFIG.digest, EMPTY_CONFIG.size)))
    await registry.uploadBlob(config, 2, EMPTY_CONFIG.digest, null, async () => undefined);
  for (const f of ordered) {
    const digest = `sha256:${f.sha256}`;
    if (await registry.hasBlob(digest, f.size)) {
      report.push({ name: f.name, action: 'unchanged' });
      continue;
    }
    options.log?.(`uploading ${f.name} (${f.size} bytes)`);
    const { resumedFrom } = await registry.uploadBlob(
      f.source,
      f.size,
      digest,
      states[digest] ?? null,
      save(digest),
    );
    const note = resumedFrom > 0 ? `resumed at byte ${resumedFrom}` : undefined;
    report.push({ name: f.name, action: held ? 'replaced' : 'sent', ...(note ? { note } : {}) });
  }
  const manifest = buildManifest(ordered, {
    [VERSION_KEY]: version,
    'org.opencontainers.image.ref.name': tag,
  });
  const bytes = Buffer.from(JSON.stringify(manifest), 'utf8');
  const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  if (diff === null || diff.length > 0) await registry.putManifest(tag, bytes);
  report.push(await moveLatestTag(registry, version, bytes, digest));
  return { target: `${target} (${digest})`, files: report, conflicts: [] };
}

async function moveLatestTag(
  registry: OciRegistry,
  version: string,
  bytes: Buffer,
  digest: string,
): Promise<PublishReport['files'][number]> {
  const held = await registry.getManifest('latest');
  if (held !== null) {
    if (held.equals(bytes)) return { name: 'latest', action: 'unchanged' };
    let current: string | null = null;
    try {
      current =
        (JSON.parse(held.toString('utf8')) as { annotations?: Record<string, string> })
          .annotations?.[VERSION_KEY] ?? null;
    } catch {
      current = null;
    }
    if (current !== null && compareVersionStrings(current, version) > 0)
      return { name: 'latest', action: 'unchanged', note: `names the newer ${current}` };
  }
  await registry.putManifest('latest', bytes);
  return { name: 'latest', action: held ? 'replaced' : 'sent', note: `-> ${digest}` };
}
