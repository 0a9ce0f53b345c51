// Every template instantiated with its sample parameters and checked
// (`crossflake init --test`).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { notApplicable, type CheckStep } from '../step.js';
import { fromExit, runCaptured } from '../capture.js';

export const templatesCheck: CheckStep = {
  id: 'templates',
  title: 'Templates (crossflake init --test)',
  async skipReason({ dir }) {
    return existsSync(join(dir, 'templates')) ? null : notApplicable('no templates/ folder');
  },
  async run({ dir, io }) {
    const init = (await import('../../init/command.js')).default;
    const { code, output } = await runCaptured(
      init,
      { test: true, 'templates-dir': join(dir, 'templates') },
      [],
      io,
    );
    return fromExit(code, output);
  },
};
