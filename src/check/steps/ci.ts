// Committed CI workflows equal what `crossflake ci generate` writes.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { notApplicable, type CheckStep } from '../step.js';
import { fromExit, runCaptured } from '../capture.js';

const WORKFLOWS = [
  '.github/workflows/ci.yml',
  '.github/workflows/release-images.yml',
  '.gitlab-ci.yml',
];

export const ciCheck: CheckStep = {
  id: 'ci',
  title: 'CI workflows (crossflake ci check)',
  async skipReason({ dir }) {
    return WORKFLOWS.some((w) => existsSync(join(dir, w)))
      ? null
      : notApplicable('no workflows to compare');
  },
  async run({ dir, io }) {
    const ci = (await import('../../ci/command.js')).default;
    const { code, output } = await runCaptured(ci, { dir }, ['check'], io);
    return fromExit(code, output, 'workflows match the generator');
  },
};
