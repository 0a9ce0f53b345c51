// Team policy `health.minNixVersion`: the oldest Nix the team accepts.
import { known } from '../../io/host/facts.js';
import { compareVersions } from '../../io/nix.js';
import { fail, notApplicable, pass, warn, type Check } from '../check.js';
import { upgradeFixText } from '../install-fixes.js';

export const policyNixVersion: Check = {
  id: 'policy-nix-version',
  title: 'Team: Nix version',
  required: true,
  policyKey: 'minNixVersion',
  run({ facts, row, policy }) {
    const min = policy?.minNixVersion;
    if (min === undefined) return notApplicable('the policy sets no minNixVersion');
    const nix = known(facts.nix);
    if (!nix?.present) return fail(`no Nix; the team needs ${min} or newer`, 'Install Nix first');
    if (!nix.version) return warn('version unknown', 'Run `nix --version`');
    if (compareVersions(nix.version, min) < 0) {
      return fail(
        `Nix ${nix.version} is older than the team's ${min}`,
        `Upgrade Nix: ${upgradeFixText(facts, row?.install.nix ?? null)}`,
      );
    }
    return pass(`Nix ${nix.version} (team: >= ${min})`);
  },
};
