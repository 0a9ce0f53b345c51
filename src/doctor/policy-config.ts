// What the policy checks on nix.conf share: the configuration, or the reason
// it cannot be read (never a pass when it could not be read).
import { known, type HostFacts, type NixConfigFacts } from '../io/host/facts.js';
import { fail, pass, warn, type CheckResult } from './check.js';
import { settingFixText } from './install-fixes.js';

export function configOrVerdict(facts: HostFacts): NixConfigFacts | CheckResult {
  const nix = known(facts.nix);
  if (!nix?.present) return fail('no Nix', 'Install Nix first');
  const config = known(nix.config);
  if (!config) {
    return warn(
      'could not read the Nix configuration',
      'Run `nix show-config` to see what is wrong',
    );
  }
  return config;
}

export function isVerdict(value: NixConfigFacts | CheckResult): value is CheckResult {
  return 'status' in value;
}

/** Cache URLs compare without a trailing slash (nix prints both forms). */
export function sameUrl(a: string, b: string): boolean {
  return a.replace(/\/+$/, '') === b.replace(/\/+$/, '');
}

/**
 * The verdict of a policy list that a nix.conf list setting must contain:
 * pass when nothing is missing, else fail naming what is missing and the
 * `extra-<setting>` line (or NixOS/darwin option) that adds exactly that.
 */
export function listSettingVerdict(
  facts: HostFacts,
  setting: string,
  missing: readonly string[],
  text: { passed: string; failed: string },
): CheckResult {
  if (missing.length === 0) return pass(text.passed);
  return fail(text.failed, settingFixText(facts, `extra-${setting}`, missing.join(' ')));
}
