import { settingFixText } from '../install-fixes.js';
import { known } from '../../io/host/facts.js';
import { notApplicable, pass, warn, type Check } from '../check.js';

export const crossArch: Check = {
  id: 'cross-arch',
  title: 'Builds for the other arch',
  required: false,
  run({ facts, row }) {
    if (facts.os.kernel !== 'linux' || !row)
      return notApplicable('only Linux hosts register binfmt emulators');
    const foreign = row.nixSystem === 'x86_64-linux' ? 'aarch64-linux' : 'x86_64-linux';
    const binfmt = known(facts.binfmt) ?? [];
    const nix = known(facts.nix);
    const extra = (nix?.present ? known(nix.config)?.extraPlatforms : undefined) ?? [];
    if (binfmt.includes(foreign) && extra.includes(foreign))
      return pass(`${foreign} through binfmt emulation`);
    if (binfmt.includes(foreign)) {
      return warn(
        `binfmt runs ${foreign}, but Nix does not offer it`,
        settingFixText(facts, 'extra-platforms', foreign),
      );
    }
    return warn(
      `cannot build ${foreign} here (needed for ${foreign} images)`,
      `On NixOS: boot.binfmt.emulatedSystems = [ "${foreign}" ]; or add a remote builder for ${foreign}`,
    );
  },
};
