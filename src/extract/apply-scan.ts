// The last gate of `extract apply`: the secret detector (src/secrets) runs on
// the exact bytes about to be committed, in both repositories, before either
// is changed. A label can be wrong or stale, and some bytes never had one (a
// --shared-url with a token in it lands in the personal flake.nix).
//
// The shared repository takes no secret at all. The personal repository
// already holds its owner's secrets (a hashedPassword next to the imports
// being rewritten): only a secret the step would add there refuses.
import { EXIT, UserError } from '../command.js';
import { scanSecrets, type SecretFinding } from '../secrets/index.js';

export interface CommitBytes {
  /** Files as they will be committed (byte strings), by path. */
  personal: ReadonlyMap<string, string>;
  shared: ReadonlyMap<string, string>;
}

export interface SecretInCommit {
  repo: 'personal' | 'shared';
  path: string;
  finding: SecretFinding;
}

/** Secrets the commit would add: every one on the shared side, new ones on the personal side. */
export function secretsInCommit(next: CommitBytes, before: CommitBytes): SecretInCommit[] {
  const out: SecretInCommit[] = [];
  for (const repo of ['shared', 'personal'] as const) {
    for (const [path, bytes] of next[repo]) {
      const old = before[repo].get(path) ?? '';
      for (const finding of scanSecrets(bytes)) {
        const material = bytes.slice(finding.start, finding.end);
        if (repo === 'personal' && old.includes(material)) continue;
        out.push({ repo, path, finding });
      }
    }
  }
  return out;
}

/** Throws (exit 1, one line, nothing printed of the secret) when the commit would add a secret. */
export function refuseSecretsInCommit(next: CommitBytes, before: CommitBytes): void {
  const hits = secretsInCommit(next, before);
  if (hits.length === 0) return;
  const shown = hits
    .slice(0, 5)
    .map((h) => `${h.repo} ${h.path}:${h.finding.line}:${h.finding.column} ${h.finding.masked}`);
  if (hits.length > 5) shown.push(`${hits.length - 5} more`);
  throw new UserError(
    `refused: the step would commit ${hits.length === 1 ? 'a secret' : `${hits.length} secrets`} (${shown.join('; ')}); ` +
      'keep secrets out of the files (sops-nix or agenix) and out of --shared-url, then re-run; nothing was changed',
    EXIT.failed,
  );
}
