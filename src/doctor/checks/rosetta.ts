import { known } from '../../io/host/facts.js';
import { notApplicable, pass, warn, type Check } from '../check.js';

export const rosetta: Check = {
  id: 'rosetta',
  title: 'Native shell (Rosetta)',
  required: false,
  run({ facts }) {
    const macos = known(facts.macos);
    if (facts.os.kernel !== 'darwin' || !macos) return notApplicable('not macOS');
    if (!macos.appleSilicon) return notApplicable('Intel Mac');
    if (macos.rosetta) {
      return warn(
        'Rosetta: you are running an x86_64 shell on Apple Silicon, so Nix would build x86_64-darwin',
        'Open a native (arm64) terminal, or run `arch -arm64 zsh`; check with `uname -m` (arm64)',
      );
    }
    return pass('native arm64 process');
  },
};
