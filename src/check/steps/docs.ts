// Generated docs current (`docs check`) and hand-written docs matching the
// code (`docs lint`).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { cannotRun, notApplicable, type CheckStep } from '../step.js';
import { fromExit, runCaptured } from '../capture.js';

const docsStep = (sub: 'check' | 'lint', title: string): CheckStep => ({
  id: `docs-${sub}`,
  title,
  async skipReason({ dir }) {
    if (!existsSync(join(dir, 'flake.nix'))) return cannotRun('no flake.nix here');
    if (sub === 'check' && !existsSync(join(dir, 'docs/EXPORTS.md')))
      return notApplicable('no generated docs (docs/EXPORTS.md)');
    return null;
  },
  async run({ dir, io }) {
    const docs = (await import('../../docs/command.js')).default;
    const { code, output } = await runCaptured(docs, { dir }, [sub], io);
    return fromExit(code, output);
  },
});

export const docsCheck = docsStep('check', 'Generated docs (crossflake docs check)');
export const docsLint = docsStep('lint', 'Docs match the code (crossflake docs lint)');
