// The release to the team's company storage (`images.store` in
// crossflake.json), as plain data the GitHub and GitLab builders both use:
// the store as `images release --to` reads it, and the CI secrets that become
// the environment variables the store code reads (images/stores/credentials.ts).
// A credential is never written into a generated file: only secret names.
import { UserError } from '../command.js';
import { parseTarget } from '../images/stores/target.js';
import { showReference } from '../images/stores/oci-layout.js';
import { printable } from '../ui/printable.js';
import type { GenerateInput } from './model.js';

/** Secrets an HTTP PUT store may take: a Bearer token, or user and password. */
export const HTTP_STORE_SECRETS = [
  'CROSSFLAKE_STORE_TOKEN',
  'CROSSFLAKE_STORE_USER',
  'CROSSFLAKE_STORE_PASSWORD',
] as const;

/** Secrets an OCI registry takes (user and password or access token). */
export const OCI_STORE_SECRETS = ['CROSSFLAKE_OCI_USER', 'CROSSFLAKE_OCI_PASSWORD'] as const;

export interface StoreRelease {
  kind: 'http' | 'oci';
  /** The store as `--to` takes it, normalized (no `${{`, no spaces: URL-encoded). */
  to: string;
  /**
   * Environment variable → GitHub Actions expression. The values are secret
   * references or the workflow's own actor, never a credential.
   */
  githubEnv: Record<string, string>;
  /** Extra job permissions (GitHub's registry takes the workflow token). */
  permissions: Record<string, string>;
  /** The variables a GitLab project sets (masked) under Settings → CI/CD. */
  gitlabVariables: readonly string[];
  /** Which secrets to create, as one sentence for the generated file's header. */
  secretsNote: string;
}

const secret = (name: string) => `\${{ secrets.${name} }}`;

/** ghcr.io takes the workflow's own token with `packages: write`: no secret to create. */
function isGhcr(registry: string): boolean {
  return registry.toLowerCase() === 'ghcr.io';
}

/** The store release of the team config, or null when `images.store` is unset. */
export function storeRelease(input: GenerateInput): StoreRelease | null {
  const store = input.config.images.store;
  if (store === null) return null;
  const target = parseTarget(store);
  if (target.kind === 'http') {
    return {
      kind: 'http',
      to: target.base,
      githubEnv: Object.fromEntries(HTTP_STORE_SECRETS.map((n) => [n, secret(n)])),
      permissions: {},
      gitlabVariables: HTTP_STORE_SECRETS,
      secretsNote:
        'The release to the team store needs the secret CROSSFLAKE_STORE_TOKEN (Bearer), or CROSSFLAKE_STORE_USER and CROSSFLAKE_STORE_PASSWORD (Basic); see docs/images.md.',
    };
  }
  if (target.kind === 'oci') {
    const ghcr = isGhcr(target.ref.registry);
    return {
      kind: 'oci',
      to: showReference(target.ref),
      githubEnv: ghcr
        ? {
            CROSSFLAKE_OCI_USER: '${{ github.actor }}',
            CROSSFLAKE_OCI_PASSWORD: secret('GITHUB_TOKEN'),
          }
        : Object.fromEntries(OCI_STORE_SECRETS.map((n) => [n, secret(n)])),
      permissions: ghcr ? { packages: 'write' } : {},
      gitlabVariables: OCI_STORE_SECRETS,
      secretsNote: ghcr
        ? 'The release to ghcr.io signs in with the workflow token (packages: write); no secret to create.'
        : 'The release to the team store needs the secrets CROSSFLAKE_OCI_USER and CROSSFLAKE_OCI_PASSWORD; see docs/images.md.',
    };
  }
  throw new UserError(
    `images.store ${printable(store)} in crossflake.json is not a store CI can publish to; give https://host/path/ or oci://registry/repository`,
  );
}
