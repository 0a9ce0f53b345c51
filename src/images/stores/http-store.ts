// A release to a store that takes HTTP PUT: BASE/<tag>/ gets the artifacts
// and notes, then SHA256SUMS, then manifest.json; then BASE/latest/release.json
// points at the newest release. A file already there with the same digest is
// not sent again; one with other content is a conflict (nothing is sent)
// unless --replace. The decisions are in http-plan.ts; this carries them out.
import type { PublishFile, PublishReport } from '../publish.js';
import { parseSha256Sums } from '../artifact-name.js';
import { getText, hashRemote, headFile, putFile, type StoreClient } from '../../io/net/put.js';
import {
  heldState,
  LATEST_DIR,
  LATEST_FILE,
  latestPointer,
  moveLatest,
  planFile,
  readLatest,
  uploadOrder,
} from './http-plan.js';

export interface HttpReleaseOptions {
  client: StoreClient;
  replace: boolean;
  log?: (message: string) => void;
}

async function remoteSums(
  client: StoreClient,
  folder: string,
): Promise<Map<string, string> | null> {
  const text = await getText(client, new URL('SHA256SUMS', folder).toString());
  if (text === null) return null;
  try {
    return parseSha256Sums(text);
  } catch {
    return new Map(); // unreadable: nothing is taken on its word
  }
}

async function heldDigest(
  client: StoreClient,
  folder: string,
  f: PublishFile,
  sums: Map<string, string> | null,
): Promise<string | null> {
  const url = new URL(encodeURIComponent(f.name), folder).toString();
  const held = heldState(f, await headFile(client, url), sums, f.name);
  if (held.state === 'absent') return null;
  if (held.state === 'known') return held.sha256;
  return hashRemote(client, url);
}

export async function publishToHttpStore(
  base: string,
  tag: string,
  version: string,
  files: PublishFile[],
  options: HttpReleaseOptions,
): Promise<PublishReport> {
  const { client } = options;
  const folder = new URL(`${encodeURIComponent(tag)}/`, base).toString();
  const sums = await remoteSums(client, folder);
  const plan = [];
  for (const f of uploadOrder(files)) {
    const held = await heldDigest(client, folder, f, sums);
    plan.push({ f, action: planFile(f.sha256, held, sums !== null, options.replace) });
  }
  const conflicts = plan.filter((p) => p.action === 'conflict');
  if (conflicts.length > 0)
    return {
      target: folder,
      files: conflicts.map((p) => ({ name: p.f.name, action: 'conflict' as const })),
      conflicts: conflicts.map((p) => p.f.name),
    };
  const report: PublishReport['files'] = [];
  for (const { f, action } of plan) {
    if (action === 'send' || action === 'replaced') {
      options.log?.(`uploading ${f.name} (${f.size} bytes)`);
      await putFile(client, new URL(encodeURIComponent(f.name), folder).toString(), f.source, f);
    }
    report.push({ name: f.name, action: action === 'send' ? 'sent' : action });
  }
  report.push(await moveLatestPointer(client, base, tag, version));
  return { target: folder, files: report, conflicts: [] };
}

/** Last of all: latest/release.json, unless it names a newer release already. */
async function moveLatestPointer(
  client: StoreClient,
  base: string,
  tag: string,
  version: string,
): Promise<PublishReport['files'][number]> {
  const url = new URL(`${LATEST_DIR}${LATEST_FILE}`, base).toString();
  const name = `${LATEST_DIR}${LATEST_FILE}`;
  const text = await getText(client, url);
  const current = readLatest(text);
  if (!moveLatest(current, version))
    return { name, action: 'unchanged', note: `points at the newer ${current?.tag}` };
  const wanted = `${JSON.stringify(latestPointer(tag, version), null, 2)}\n`;
  if (text === wanted) return { name, action: 'unchanged' };
  const data = Buffer.from(wanted, 'utf8');
  const { createHash } = await import('node:crypto');
  await putFile(
    client,
    url,
    { data },
    {
      size: data.length,
      sha256: createHash('sha256').update(data).digest('hex'),
      contentType: 'application/json',
    },
  );
  return { name, action: text === null ? 'sent' : 'replaced', note: `-> ${tag}` };
}
