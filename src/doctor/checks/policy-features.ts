// Team policy `health.experimentalFeatures`: features the team's flake needs.
import { fail, notApplicable, pass, type Check } from '../check.js';
import { settingFixText } from '../install-fixes.js';
import { configOrVerdict, isVerdict } from '../policy-config.js';

export const policyFeatures: Check = {
  id: 'policy-experimental-features',
  title: 'Team: experimental features',
  required: true,
  policyKey: 'experimentalFeatures',
  run({ facts, policy }) {
    const wanted = policy?.experimentalFeatures;
    if (!wanted?.length) return notApplicable('the policy names no experimentalFeatures');
    const config = configOrVerdict(facts);
    if (isVerdict(config)) return config;
    const missing = wanted.filter((f) => !config.experimentalFeatures.includes(f));
    if (missing.length === 0) return pass(`enabled: ${wanted.join(', ')}`);
    return fail(
      `not enabled: ${missing.join(', ')}`,
      settingFixText(facts, 'extra-experimental-features', missing.join(' ')),
    );
  },
};
