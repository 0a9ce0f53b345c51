import { known } from '../../io/host/facts.js';
import { installOf } from '../install-fixes.js';
import { notApplicable, pass, warn, type Check } from '../check.js';

/** The crossflake option that turns off nix-darwin's Nix management for Determinate. */
export const DETERMINATE_OPTION = 'crossflake.darwin.determinateNix = true;';

export const nixDarwin: Check = {
  id: 'nix-darwin',
  title: 'nix-darwin',
  required: false,
  run({ facts }) {
    if (facts.os.kernel !== 'darwin') return notApplicable('not macOS');
    const nix = known(facts.nix);
    if (!nix?.present) return notApplicable('no Nix yet');
    // nix-darwin aborts activation while /usr/local/bin/determinate-nixd
    // exists unless it is told not to manage Nix (nix.enable = false).
    const determinate = installOf(facts).method === 'determinate';
    const note = determinate ? `; Determinate Nix needs \`${DETERMINATE_OPTION}\`` : '';
    if (nix.darwinRebuild) return pass(`darwin-rebuild is installed${note}`);
    return warn(
      `nix-darwin is not installed yet${note}`,
      `Create a config with \`crossflake init darwin${determinate ? ' -p determinateNix=true' : ''}\`, then \`sudo nix run nix-darwin -- switch --flake .#<host>\``,
    );
  },
};
