import { compareVersions } from '../../io/nix.js';
import { known } from '../../io/host/facts.js';
import { upgradeFixText } from '../install-fixes.js';
import { fail, notApplicable, pass, warn, type Check } from '../check.js';

/** nixpkgs' lib/minver.nix from 25.11 on: older Nix cannot evaluate it. */
export const MIN_NIX_VERSION = '2.18';

export const nixVersion: Check = {
  id: 'nix-version',
  title: 'Nix version',
  required: true,
  run({ facts, row }) {
    const nix = known(facts.nix);
    if (!nix?.present) return notApplicable('no Nix');
    if (!nix.version) return warn('version unknown', 'Run `nix --version`');
    if (compareVersions(nix.version, MIN_NIX_VERSION) < 0) {
      return fail(
        `Nix ${nix.version} is older than ${MIN_NIX_VERSION}, which nixpkgs 26.05 requires`,
        `Upgrade Nix: ${upgradeFixText(facts, row?.install.nix ?? null)}`,
      );
    }
    return pass(`Nix ${nix.version} (>= ${MIN_NIX_VERSION})`);
  },
};
