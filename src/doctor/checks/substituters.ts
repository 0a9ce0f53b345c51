import { known } from '../../io/host/facts.js';
import { settingFixText } from '../install-fixes.js';
import { notApplicable, pass, warn, type Check } from '../check.js';

export const substituters: Check = {
  id: 'substituters',
  title: 'Binary cache',
  required: false,
  run({ facts }) {
    const nix = known(facts.nix);
    const config = nix?.present ? known(nix.config) : undefined;
    if (!config) return notApplicable('no Nix configuration to read');
    if (config.substituters.some((s) => s.startsWith('https://cache.nixos.org'))) {
      return pass(`${config.substituters.length} substituter(s), including cache.nixos.org`);
    }
    return warn(
      'cache.nixos.org is not a substituter: everything builds from source',
      settingFixText(facts, 'substituters', 'https://cache.nixos.org'),
    );
  },
};
