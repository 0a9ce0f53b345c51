// `images release --to https://...|oci://...`: the credentials and the HTTP
// layer for a company store, then the store's own publisher.
import type { ImagesContext } from '../command.js';
import type { DistVersion } from '../dist.js';
import type { PublishFile, PublishReport } from '../publish.js';
import { printable } from '../../ui/printable.js';
import { redactTokens } from '../../io/net/github.js';
import { readDockerConfig, readNetrc } from '../../io/net/put-credentials.js';
import { authHeader, httpStoreAuth, ociAuth, secretsOf } from './credentials.js';
import type { Target } from './target.js';

/** Bytes per PATCH of an OCI blob upload; CROSSFLAKE_OCI_CHUNK (bytes) changes it. */
function chunkSize(env: NodeJS.ProcessEnv): number | undefined {
  const given = Number(env.CROSSFLAKE_OCI_CHUNK);
  return Number.isSafeInteger(given) && given >= 1024 ? given : undefined;
}

export async function releaseToStore(
  ctx: ImagesContext,
  target: Extract<Target, { kind: 'http' | 'oci' }>,
  tag: string,
  version: DistVersion,
  files: PublishFile[],
  replace: boolean,
): Promise<PublishReport> {
  const { netFromOptions } = await import('../fetch.js');
  const net = await netFromOptions(ctx.opts, ctx.io);
  const env = ctx.io.env;
  if (target.kind === 'http') {
    const host = new URL(target.base).hostname;
    const auth = httpStoreAuth(env, host, await readNetrc(env));
    const secrets = secretsOf(auth);
    const { publishToHttpStore } = await import('./http-store.js');
    return publishToHttpStore(target.base, tag, version.version, files, {
      client: { auth: authHeader(auth), net },
      replace,
      log: (m) => ctx.io.stderr.write(`${printable(redactTokens(m, secrets))}\n`),
    });
  }
  const auth = ociAuth(env, target.ref.registry, await readDockerConfig(env));
  const secrets = secretsOf(auth);
  const log = (m: string) => ctx.io.stderr.write(`${printable(redactTokens(m, secrets))}\n`);
  const { OciRegistry } = await import('../../io/net/oci.js');
  const { publishToOci } = await import('./oci-store.js');
  const registry = new OciRegistry(target.ref, { net, auth, chunkSize: chunkSize(env), log });
  return publishToOci(tag, version.version, files, {
    registry,
    replace,
    stateDir: version.dir,
    log,
  });
}
