// The checks doctor runs, in display order. Adding a check is adding a file
// and one line here.
import type { HealthPolicy } from '../../teamconfig/types.js';
import type { Check } from '../check.js';
import { crossArch } from './cross-arch.js';
import { diskSpace } from './disk-space.js';
import { flakes } from './flakes.js';
import { kvm } from './kvm.js';
import { memory } from './memory.js';
import { nixDaemon } from './nix-daemon.js';
import { nixDarwin } from './nix-darwin.js';
import { nixInstalled } from './nix-installed.js';
import { nixVersion } from './nix-version.js';
import { platformRow } from './platform-row.js';
import { policyFeatures } from './policy-features.js';
import { policyMaxJobs } from './policy-max-jobs.js';
import { policyNixVersion } from './policy-nix-version.js';
import { policyPlatforms } from './policy-platforms.js';
import { policyPublicKeys } from './policy-public-keys.js';
import { policySubstituters } from './policy-substituters.js';
import { policyTools } from './policy-tools.js';
import { rosetta } from './rosetta.js';
import { substituters } from './substituters.js';
import { trustedUser } from './trusted-user.js';
import { windowsWsl } from './windows-wsl.js';
import { wslSystemd } from './wsl-systemd.js';
import { wslVersion } from './wsl-version.js';

export const checks: readonly Check[] = [
  platformRow,
  windowsWsl,
  wslVersion,
  wslSystemd,
  rosetta,
  nixInstalled,
  nixVersion,
  flakes,
  nixDaemon,
  trustedUser,
  substituters,
  nixDarwin,
  kvm,
  crossArch,
  diskSpace,
  memory,
];

/** The team policy's checks, in display order; each runs only when its key is set. */
export const policyChecks: readonly Check[] = [
  policyPlatforms,
  policyNixVersion,
  policyFeatures,
  policySubstituters,
  policyPublicKeys,
  policyMaxJobs,
  policyTools,
];

/** crossflake's checks, then the ones the team's policy asks for. */
export function checksFor(policy: HealthPolicy | null): Check[] {
  if (!policy) return [...checks];
  return [
    ...checks,
    ...policyChecks.filter((c) => c.policyKey && policy[c.policyKey] !== undefined),
  ];
}
