import { UNKNOWN } from '../../io/host/facts.js';
import { fail, pass, warn, type Check } from '../check.js';

const GiB = 1024 ** 3;

export const diskSpace: Check = {
  id: 'disk-space',
  title: 'Free disk for /nix',
  required: true,
  run({ facts }) {
    const free = facts.resources.storeDiskFreeBytes;
    if (free === UNKNOWN)
      return warn('could not read free space', `Check \`df -h ${facts.resources.storeDiskPath}\``);
    const shown = `${(free / GiB).toFixed(1)} GiB free on ${facts.resources.storeDiskPath}`;
    if (free < 5 * GiB)
      return fail(shown, 'Free space: `nix-collect-garbage -d`, or grow the disk (5 GiB minimum)');
    if (free < 20 * GiB) return warn(shown, 'Images need about 20 GiB: `nix-collect-garbage -d`');
    return pass(shown);
  },
};
