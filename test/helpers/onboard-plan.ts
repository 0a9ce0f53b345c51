// The Unix plan for a user "ada" on a recorded host, as onboard makes it
// (the options prepareUnix would pass), for tests of what a plan contains.
import type { HostFacts } from '../../src/io/host/facts.js';
import type { NetworkPass } from '../../src/onboard/network.js';
import { planUnix } from '../../src/onboard/plan-unix.js';
import type { Plan } from '../../src/onboard/step.js';

export function adaPlan(facts: HostFacts, network: NetworkPass | null = null): Plan {
  return planUnix(
    { ...facts, user: { ...facts.user, home: '/home/ada' } },
    {
      flow: facts.os.kernel === 'darwin' ? 'macos' : 'linux',
      homeOnly: false,
      dir: '/home/ada/nix-config',
      user: 'ada',
      host: 'ada-box',
      // The templates' sharedFlake has no default: a plan names the flake.
      from: 'path:/srv/shared-flake',
      installerPath: '/home/ada/.local/state/crossflake/nix-install.sh',
      network,
    },
  );
}
