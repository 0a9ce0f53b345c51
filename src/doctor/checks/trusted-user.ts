import { known } from '../../io/host/facts.js';
import { settingFixText } from '../install-fixes.js';
import { notApplicable, pass, warn, type Check } from '../check.js';

/** Groups that commonly hold admins, as trusted-users writes them (@group). */
const ADMIN_GROUPS = ['@wheel', '@admin', '@sudo'];

export const trustedUser: Check = {
  id: 'trusted-user',
  title: 'Trusted user',
  required: false,
  run({ facts }) {
    const nix = known(facts.nix);
    const config = nix?.present ? known(nix.config) : undefined;
    if (!config) return notApplicable('no Nix configuration to read');
    const trusted = config.trustedUsers;
    if (trusted.includes('*') || trusted.includes(facts.user.name)) {
      return pass(`${facts.user.name} is a trusted user`);
    }
    const groups = trusted.filter((t) => ADMIN_GROUPS.includes(t));
    if (groups.length > 0)
      return pass(`trusted through ${groups.join(', ')} (if you are a member)`);
    return warn(
      `${facts.user.name} is not in trusted-users, so a flake's extra substituters are ignored`,
      settingFixText(facts, 'trusted-users', `root ${facts.user.name}`),
    );
  },
};
