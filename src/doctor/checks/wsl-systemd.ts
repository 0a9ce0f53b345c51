import { known } from '../../io/host/facts.js';
import { fail, notApplicable, pass, type Check } from '../check.js';

export const wslSystemd: Check = {
  id: 'wsl-systemd',
  title: 'systemd in WSL',
  required: true,
  run({ facts }) {
    const wsl = known(facts.wsl);
    if (!wsl || wsl.version !== 2) return notApplicable('not running inside WSL2');
    if (wsl.systemd) return pass('systemd is PID 1');
    return fail(
      'systemd is not PID 1, so the Nix daemon and NixOS services cannot run',
      'Enable systemd in WSL: add "[boot]\\nsystemd=true" to /etc/wsl.conf, then `wsl --shutdown` in PowerShell',
    );
  },
};
