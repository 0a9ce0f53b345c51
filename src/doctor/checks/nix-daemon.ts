import { known } from '../../io/host/facts.js';
import { notApplicable, pass, warn, type Check } from '../check.js';

export const nixDaemon: Check = {
  id: 'nix-daemon',
  title: 'Nix daemon (multi-user)',
  required: false,
  run({ facts }) {
    const nix = known(facts.nix);
    if (!nix?.present) return notApplicable('no Nix');
    if (nix.mode === 'daemon') return pass('multi-user install: builds go through the daemon');
    if (nix.mode === 'single-user') {
      return warn(
        'single-user install: fine for one person, but the team setup expects the daemon',
        'Reinstall with the official installer in multi-user mode (--daemon)',
      );
    }
    return warn(
      'cannot tell single-user from daemon mode',
      'Check `systemctl status nix-daemon` (Linux)',
    );
  },
};
