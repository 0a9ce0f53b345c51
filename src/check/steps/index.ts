// The steps of `crossflake check`, in the order they run.
import type { CheckStep } from '../step.js';
import { ciCheck } from './ci.js';
import { docsCheck, docsLint } from './docs.js';
import { flakeCheck } from './flake.js';
import { leakScan } from './leaks.js';
import { templatesCheck } from './templates.js';

export const checkSteps: readonly CheckStep[] = [
  flakeCheck,
  templatesCheck,
  docsCheck,
  docsLint,
  ciCheck,
  leakScan,
];
