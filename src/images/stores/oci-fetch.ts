// Reading a release from an OCI registry: the manifest of the tag (or the
// digest, checked against its bytes), SHA256SUMS from its layer (checked
// against the layer digest), and each artifact downloaded to a partial file
// beside the target (an interrupted fetch resumes it with a Range request),
// renamed into place only when both the layer digest and SHA256SUMS agree
// with the bytes.
import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { EXIT, UserError } from '../../command.js';
import type { NetConfig } from '../../io/net/client.js';
import { ChecksumMismatch, download } from '../../io/net/download.js';
import { OciRegistry } from '../../io/net/oci.js';
import { readDockerConfig } from '../../io/net/put-credentials.js';
import { parseSha256Sums } from '../artifact-name.js';
import type { FetchOptions, Release } from '../fetch.js';
import { ociAuth } from './credentials.js';
import { layersByTitle, parseOciReference, showReference, type Layer } from './oci-layout.js';

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

async function readBlob(registry: OciRegistry, layer: Layer, where: string): Promise<Buffer> {
  const res = await registry.openBlob(layer.digest);
  const data = Buffer.from(await res.body.arrayBuffer());
  if (`sha256:${sha256(data)}` !== layer.digest)
    throw new UserError(
      `${where}: the blob does not match its digest ${layer.digest}`,
      EXIT.failed,
    );
  return data;
}

export async function loadOci(source: string, net: NetConfig): Promise<Release> {
  const ref = parseOciReference(source.slice('oci://'.length), 'images fetch');
  const where = showReference(ref);
  const registry = new OciRegistry(ref, {
    net,
    auth: ociAuth(net.env, ref.registry, await readDockerConfig(net.env)),
  });
  await registry.login('pull');
  const reference = ref.digest ?? ref.tag ?? 'latest';
  const bytes = await registry.getManifest(reference);
  if (bytes === null)
    throw new UserError(
      `${where}: no such tag in the registry; check the release tag`,
      EXIT.failed,
    );
  if (ref.digest && `sha256:${sha256(bytes)}` !== ref.digest)
    throw new UserError(`${where}: the registry's manifest does not match the digest`, EXIT.failed);
  const layers = layersByTitle(bytes.toString('utf8'), where);
  const sumsLayer = layers.get('SHA256SUMS');
  const sums = sumsLayer
    ? parseSha256Sums((await readBlob(registry, sumsLayer, `${where} SHA256SUMS`)).toString('utf8'))
    : null;
  const names = [...layers.keys()].filter(
    (n) => n !== 'SHA256SUMS' && n !== 'manifest.json' && !n.endsWith('.md'),
  );
  return {
    base: where,
    local: false,
    sums,
    artifacts: names
      .sort()
      .map((file) => ({ file, sha256: sums?.get(file) ?? null, format: null, system: null })),
    named: null,
    reader: async (file, target, expected, options: FetchOptions) => {
      const layer = layers.get(file);
      if (!layer) throw new UserError(`${where}: no layer named ${file}`, EXIT.failed);
      return fetchLayer(registry, layer, file, target, expected, options);
    },
  };
}

/**
 * One layer to `target` through the resuming downloader: a partial file
 * beside it that a later run continues with a Range request, the bytes
 * checked against the layer digest (and SHA256SUMS) before the rename.
 */
async function fetchLayer(
  registry: OciRegistry,
  layer: Layer,
  file: string,
  target: string,
  expected: string | null,
  options: FetchOptions,
): Promise<{ size: number; sha256: string; resumedFrom: number }> {
  const { url, net } = registry.blobDownload(layer.digest);
  const got = await download(url, target, {
    expectedSha256: layer.digest.slice('sha256:'.length),
    onProgress: options.onProgress,
    net,
  });
  if (expected !== null && got.sha256 !== expected) {
    await rm(target, { force: true });
    throw new ChecksumMismatch(file, expected, got.sha256);
  }
  return { size: got.size, sha256: got.sha256, resumedFrom: got.resumedFrom };
}
