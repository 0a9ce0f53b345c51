import { compareVersions } from '../../io/nix.js';
import { known } from '../../io/host/facts.js';
import { fail, notApplicable, pass, warn, type Check } from '../check.js';

/** From this WSL release on, `wsl --install --from-file` imports a .wsl image. */
export const WSL_FROM_FILE_VERSION = '2.4.4';

export const windowsWsl: Check = {
  id: 'windows-wsl',
  title: 'WSL on Windows',
  required: true,
  run({ facts }) {
    if (facts.os.kernel !== 'windows') return notApplicable('not Windows');
    const windows = known(facts.windows);
    if (!windows)
      return warn('could not ask wsl.exe', 'Run `wsl --status` in PowerShell to see what is wrong');
    if (!windows.wslInstalled) {
      return fail(
        'WSL is not installed',
        'In an administrator PowerShell: `wsl --install --no-distribution`, then reboot',
      );
    }
    if (windows.virtualization === false) {
      return fail(
        'no hypervisor: WSL2 cannot start',
        'Enable virtualization in the firmware (BIOS/UEFI) and the "Virtual Machine Platform" Windows feature',
      );
    }
    if (!windows.wslVersion) {
      return warn(
        'inbox WSL without --version (older than the Store release)',
        'Update WSL: `wsl --update`',
      );
    }
    if (compareVersions(windows.wslVersion, WSL_FROM_FILE_VERSION) < 0) {
      return warn(
        `WSL ${windows.wslVersion}: images are imported with the older \`wsl --import\``,
        `Update WSL to ${WSL_FROM_FILE_VERSION} or later: \`wsl --update\``,
      );
    }
    return pass(`WSL ${windows.wslVersion}, ${windows.distros.length} distro(s)`);
  },
};
