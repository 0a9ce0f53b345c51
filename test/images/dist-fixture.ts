// A dist/<version>/ folder made by hand, as `images build` writes it
// (artifacts, SHA256SUMS, manifest.json last), for tests of merge and
// release that need no Nix. Names are written as given, so a test can plant
// a forged one.
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  MANIFEST_SCHEMA,
  type Artifact,
  type Manifest,
  type MissingImage,
} from '../../src/images/manifest.js';

export interface FixtureFile {
  file: string;
  data: string | Buffer;
  format?: string;
  system?: string;
}

export const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

export function artifactOf(f: FixtureFile, version: string): Artifact {
  const format = f.format ?? f.file.split('.').at(-1) ?? 'raw';
  return {
    name: 'demo',
    format,
    system: f.system ?? 'x86_64-linux',
    attr: `packages.x86_64-linux.demo-${format}`,
    kind: 'derivation',
    file: f.file,
    size: Buffer.byteLength(f.data),
    sha256: sha256(f.data),
    drvPath: `/nix/store/${'d'.repeat(32)}-demo-${format}-${version}.drv`,
    outPath: `/nix/store/${'o'.repeat(32)}-demo-${format}`,
    closureSize: 0,
    largestPaths: [],
    buildSeconds: 1,
    builtAt: '2026-11-27T00:00:00.000Z',
  };
}

/** Writes dist/<version>/ with the files, a SHA256SUMS (unchecked lines) and the manifest. */
export async function makeDist(
  dist: string,
  version: string,
  files: FixtureFile[],
  extra: { missing?: MissingImage[]; git?: Manifest['git'] } = {},
): Promise<Manifest> {
  const dir = join(dist, version);
  await mkdir(dir, { recursive: true });
  for (const f of files) {
    if (!f.file.includes('/')) await writeFile(join(dir, f.file), f.data);
  }
  const artifacts = files.map((f) => artifactOf(f, version));
  await writeFile(
    join(dir, 'SHA256SUMS'),
    artifacts.map((a) => `${a.sha256}  ${a.file}\n`).join(''),
  );
  const manifest: Manifest = {
    schema: MANIFEST_SCHEMA,
    version,
    createdAt: '2026-11-27T00:00:00.000Z',
    flake: '.',
    git: extra.git ?? null,
    flakeLock: {},
    artifacts,
    ...(extra.missing ? { missing: extra.missing } : {}),
  };
  await writeFile(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}
