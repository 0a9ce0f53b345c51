import { known } from '../../io/host/facts.js';
import { daemonFixText, installOf, restartDaemon } from '../install-fixes.js';
import { notApplicable, pass, warn, type Check } from '../check.js';

export const nixDaemon: Check = {
  id: 'nix-daemon',
  title: 'Nix daemon (multi-user)',
  required: false,
  run({ facts }) {
    const nix = known(facts.nix);
    if (!nix?.present) return notApplicable('no Nix');
    const { method } = installOf(facts);
    if (method === 'determinate' || method === 'nixos' || method === 'nix-darwin') {
      return pass(`${method === 'determinate' ? 'Determinate Nix' : method} runs the daemon`);
    }
    if (nix.mode === 'daemon') return pass('multi-user install: builds go through the daemon');
    if (nix.mode === 'single-user') {
      return warn(
        'single-user install: fine for one person, but the team setup expects the daemon',
        daemonFixText(facts),
      );
    }
    const status =
      facts.os.kernel === 'darwin'
        ? '`sudo launchctl print system/org.nixos.nix-daemon`'
        : '`systemctl status nix-daemon`';
    const restart = restartDaemon(facts);
    return warn(
      'cannot tell single-user from daemon mode',
      `Check ${status}${restart ? `; start it with \`${restart.join(' ')}\`` : ''}`,
    );
  },
};
