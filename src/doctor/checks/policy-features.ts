// Team policy `health.experimentalFeatures`: features the team's flake needs.
import { notApplicable, type Check } from '../check.js';
import { configOrVerdict, isVerdict, listSettingVerdict } from '../policy-config.js';

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
    return listSettingVerdict(facts, 'experimental-features', missing, {
      passed: `enabled: ${wanted.join(', ')}`,
      failed: `not enabled: ${missing.join(', ')}`,
    });
  },
};
