import { known } from '../../io/host/facts.js';
import { fail, notApplicable, pass, warn, type Check } from '../check.js';

export const wslVersion: Check = {
  id: 'wsl-version',
  title: 'WSL generation',
  required: true,
  run({ facts }) {
    const wsl = known(facts.wsl);
    if (facts.os.kernel === 'linux') {
      if (!wsl || wsl.version === null) return notApplicable('not running inside WSL');
      if (wsl.version === 1) {
        return fail(
          'this distro runs on WSL1',
          'In PowerShell: `wsl --set-version <distro> 2`, then reopen the shell',
        );
      }
      return pass(`WSL2${wsl.distroName ? ` (distro ${wsl.distroName})` : ''}`);
    }
    const windows = known(facts.windows);
    if (facts.os.kernel !== 'windows' || !windows?.wslInstalled)
      return notApplicable('not a WSL host');
    const old = windows.distros.filter((d) => d.version === 1).map((d) => d.name);
    if (windows.defaultVersion === 1) {
      return warn('new distros default to WSL1', 'In PowerShell: `wsl --set-default-version 2`');
    }
    if (old.length > 0) {
      return warn(
        `distros on WSL1: ${old.join(', ')}`,
        'Convert each: `wsl --set-version <distro> 2`',
      );
    }
    return pass('WSL2 is the default');
  },
};
