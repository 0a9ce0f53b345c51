import { known } from '../../io/host/facts.js';
import { notApplicable, pass, warn, type Check } from '../check.js';

export const nixDarwin: Check = {
  id: 'nix-darwin',
  title: 'nix-darwin',
  required: false,
  run({ facts }) {
    if (facts.os.kernel !== 'darwin') return notApplicable('not macOS');
    const nix = known(facts.nix);
    if (!nix?.present) return notApplicable('no Nix yet');
    if (nix.darwinRebuild) return pass('darwin-rebuild is installed');
    return warn(
      'nix-darwin is not installed yet',
      'Create a config with `crossflake init darwin`, then `sudo nix run nix-darwin -- switch --flake .#<host>`',
    );
  },
};
