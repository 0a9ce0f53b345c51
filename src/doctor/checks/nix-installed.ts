import { known } from '../../io/host/facts.js';
import { describeInstall } from '../../io/host/nix-install-parse.js';
import { fail, notApplicable, pass, warn, type Check } from '../check.js';

export const nixInstalled: Check = {
  id: 'nix-installed',
  title: 'Nix installed',
  required: true,
  run({ facts, row }) {
    if (facts.os.kernel === 'windows') {
      return notApplicable('Nix runs inside WSL, not on Windows itself');
    }
    const nix = known(facts.nix);
    if (!nix) return warn('could not probe Nix', 'Run `nix --version` to see what is wrong');
    if (nix.present) {
      return pass(
        `nix ${nix.version ?? '(version unknown)'} at ${nix.path ?? '?'} (${describeInstall(nix.install)})`,
      );
    }
    const install = row
      ? `${row.install.nix}  (${row.install.why})`
      : 'Install Nix: https://nixos.org/download';
    return fail('Nix is not installed (or not on PATH)', install);
  },
};
