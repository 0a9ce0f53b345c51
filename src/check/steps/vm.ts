// `crossflake check --vm NAME`: boot a named VM and smoke-test it with
// `crossflake vm test`. Only when asked: VMs are slow, and never run in CI.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fromExit, runCaptured } from '../capture.js';
import { cannotRun, type CheckStep } from '../step.js';

export function vmStep(name: string): CheckStep {
  return {
    id: `vm:${name}`,
    title: `VM ${name} boots (crossflake vm test)`,
    async skipReason({ dir }) {
      return existsSync(join(dir, 'flake.nix')) ? null : cannotRun('no flake.nix here');
    },
    async run({ dir, io }) {
      const vm = (await import('../../vm/command.js')).default;
      const { code, output } = await runCaptured(vm, { flake: dir }, ['test', name], io);
      return fromExit(code, output);
    },
  };
}
