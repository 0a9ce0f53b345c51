import { UNKNOWN, type HostFacts } from '../../io/host/facts.js';
import { fail, pass, warn, type Check } from '../check.js';

const GiB = 1024 ** 3;

// On Windows the store is inside the WSL distro's disk, on the drive that
// onboard puts it on; elsewhere it is /nix (or the home directory before Nix).
function where(facts: HostFacts): { what: string; free: string; grow: string } {
  const path = facts.resources.storeDiskPath;
  if (facts.os.kernel === 'windows') {
    return {
      what: `${path} (where the WSL distro's disk goes)`,
      free: `free space on ${path}, or onboard with \`--location\` on a drive with room`,
      grow: 'Images and the distro need about 20 GiB',
    };
  }
  return {
    what: path,
    free: '`nix-collect-garbage -d`, or grow the disk (5 GiB minimum)',
    grow: 'Images need about 20 GiB: `nix-collect-garbage -d`',
  };
}

export const diskSpace: Check = {
  id: 'disk-space',
  title: 'Free disk for the Nix store',
  required: true,
  run({ facts }) {
    const free = facts.resources.storeDiskFreeBytes;
    const place = where(facts);
    if (free === UNKNOWN) {
      const look =
        facts.os.kernel === 'windows'
          ? `Check the free space of ${facts.resources.storeDiskPath} in Explorer`
          : `Check \`df -h ${facts.resources.storeDiskPath}\``;
      return warn('could not read free space', look);
    }
    const shown = `${(free / GiB).toFixed(1)} GiB free on ${place.what}`;
    if (free < 5 * GiB) return fail(shown, `Free space: ${place.free}`);
    if (free < 20 * GiB) return warn(shown, place.grow);
    return pass(shown);
  },
};
