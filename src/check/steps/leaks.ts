// A leak scan of the shared parts of the repository (flake.nix, nix/,
// templates/): extract's personal-value and secret rules must find nothing
// there. Identifiers come from what the files themselves teach the rules plus
// the team config's privacy.identifiers.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { analyze } from '../../extract/analyze.js';
import { scanNixFiles } from '../../io/nix-files.js';
import type { Evidence } from '../../extract/model.js';
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
    for (const root of SHARED_ROOTS.filter((r) => existsSync(join(dir, r)))) {
      for (const f of await scanNixFiles(join(dir, root)))
        files.push({ ...f, path: `${root}/${f.path}` });
    }
    if (existsSync(join(dir, 'flake.nix'))) {
      files.push({ path: 'flake.nix', bytes: await readFile(join(dir, 'flake.nix')) });
    }
    const { privacy } = await loadTeamConfig(dir);
    const report = analyze(files, { root: dir, identifiers: privacy.identifiers });
    const leaks = report.files.flatMap((f) =>
      f.evidence
        .filter((e) => isLeak(e, privacy.identifiers))
        .map((e) => `${f.path}:${e.line}:${e.column}: ${e.rule}: ${e.text}`),
    );
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
