import { known } from '../../io/host/facts.js';
import type { HostFacts } from '../../io/host/facts.js';
import { installOf, settingFixText } from '../install-fixes.js';
import { fail, notApplicable, pass, warn, type Check } from '../check.js';

const NEEDED = ['nix-command', 'flakes'];

/** A user's own nix.conf is enough for flakes, except where the system configuration owns Nix. */
function flakesFix(facts: HostFacts): string {
  const { method } = installOf(facts);
  if (method === 'nixos' || method === 'nix-darwin' || method === 'determinate') {
    return `Enable flakes: ${settingFixText(facts, 'experimental-features', 'nix-command flakes')}`;
  }
  return 'Enable flakes: add "experimental-features = nix-command flakes" to ~/.config/nix/nix.conf';
}

export const flakes: Check = {
  id: 'flakes',
  title: 'Flakes enabled',
  required: true,
  run({ facts }) {
    const nix = known(facts.nix);
    if (!nix?.present) return notApplicable('no Nix');
    const config = known(nix.config);
    if (!config)
      return warn(
        'could not read the Nix configuration',
        'Run `nix show-config` to see what is wrong',
      );
    const missing = NEEDED.filter((f) => !config.experimentalFeatures.includes(f));
    if (missing.length === 0) return pass('nix-command and flakes are enabled');
    return fail(`experimental features missing: ${missing.join(', ')}`, flakesFix(facts));
  },
};
