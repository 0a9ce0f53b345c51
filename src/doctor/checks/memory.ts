import { pass, warn, type Check } from '../check.js';

const GiB = 1024 ** 3;

export const memory: Check = {
  id: 'memory',
  title: 'Memory',
  required: false,
  run({ facts }) {
    const { memoryBytes, cpus } = facts.resources;
    const shown = `${(memoryBytes / GiB).toFixed(1)} GiB, ${cpus} CPU(s)`;
    if (memoryBytes < 8 * GiB) {
      return warn(
        `${shown}: concurrent evaluations and image builds may be OOM-killed`,
        'Build one image at a time (`--max-jobs 1`) or use a remote builder',
      );
    }
    return pass(shown);
  },
};
