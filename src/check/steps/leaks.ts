// A leak scan of the shared parts of the repository (flake.nix, nix/,
// templates/): extract's personal-value and secret rules must find nothing
// in the .nix files, and the secret detector (src/secrets, the one extract's
// rule uses) nothing in any other text file there (a template's .env, .toml,
// .json). Identifiers come from what the files themselves teach the rules
// plus the team config's privacy.identifiers.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { scanNixFiles } from '../../io/nix-files.js';
import type { Evidence } from '../../extract/model.js';
import { readTextFiles } from '../../io/text-files.js';
import { loadTeamConfig } from '../../teamconfig/load.js';
import { notApplicable, type CheckStep } from '../step.js';

const SHARED_ROOTS = ['nix', 'templates'];
// In a personal repo every configuration name is a host; in the shared repo
// they are the team's own names (generic-vm-*, work-base), and the entry
// points are meant to be there. So of the personal-identifier evidence only
// e-mails and the team's configured identifiers count here.
const ALWAYS_LEAKS = new Set(['secrets', 'home-paths']);
const RESERVED_MAIL = /@(?:[\w-]+\.)*(?:example\.(?:com|org|net)|example|invalid|test|localhost)$/i;

export function isLeak(e: Evidence, identifiers: readonly string[]): boolean {
  if (ALWAYS_LEAKS.has(e.rule)) return true;
  if (e.rule !== 'personal-identifiers') return false;
  if (identifiers.some((id) => e.text.includes(id))) return true;
  return e.text.includes('@') && !RESERVED_MAIL.test(e.text.trim());
}

/** Secrets in the text files of the shared roots that are not .nix files. */
async function otherFileLeaks(dir: string, roots: string[]): Promise<string[]> {
  const out: string[] = [];
  const { scanSecrets } = await import('../../secrets/index.js');
  for (const root of roots) {
    const files = await readTextFiles(
      join(dir, root),
      (p) => !p.endsWith('.nix'),
      (p) =>
        out.push(`${root}/${p}: too large to scan for secrets; keep large files out of ${root}/`),
    );
    for (const f of files) {
      for (const s of scanSecrets(f.bytes))
        out.push(`${root}/${f.path}:${s.line}:${s.column}: secrets: ${s.masked}`);
    }
  }
  return out;
}

export const leakScan: CheckStep = {
  id: 'leaks',
  title: 'Leak scan of flake.nix, nix/ and templates/ (personal values, secrets)',
  async skipReason({ dir }) {
    return SHARED_ROOTS.some((r) => existsSync(join(dir, r))) || existsSync(join(dir, 'flake.nix'))
      ? null
      : notApplicable('no flake.nix, nix/ or templates/ to scan');
  },
  async run({ dir }) {
    const files = [];
    const roots = SHARED_ROOTS.filter((r) => existsSync(join(dir, r)));
    for (const root of roots) {
      for (const f of await scanNixFiles(join(dir, root)))
        files.push({ ...f, path: `${root}/${f.path}` });
    }
    if (existsSync(join(dir, 'flake.nix'))) {
      files.push({ path: 'flake.nix', bytes: await readFile(join(dir, 'flake.nix')) });
    }
    const { privacy } = await loadTeamConfig(dir);
    // The classifier and secretlint's rules load when the scan runs, not
    // with `check --help`.
    const { analyze } = await import('../../extract/analyze.js');
    const report = analyze(files, { root: dir, identifiers: privacy.identifiers });
    const leaks = report.files.flatMap((f) =>
      f.evidence
        .filter((e) => isLeak(e, privacy.identifiers))
        .map((e) => `${f.path}:${e.line}:${e.column}: ${e.rule}: ${e.text}`),
    );
    leaks.push(...(await otherFileLeaks(dir, roots)));
    if (leaks.length === 0)
      return {
        status: 'pass',
        detail: `${files.length} files, no personal value or secret`,
        output: '',
      };
    return {
      status: 'fail',
      detail: `${leaks.length} finding(s) in shared files`,
      output: `${leaks.join('\n')}\n`,
    };
  },
};
