// Team policy `health.substituters`: the team's caches are configured.
import { notApplicable, type Check } from '../check.js';
import { configOrVerdict, isVerdict, listSettingVerdict, sameUrl } from '../policy-config.js';

export const policySubstituters: Check = {
  id: 'policy-substituters',
  title: 'Team: binary caches',
  required: true,
  policyKey: 'substituters',
  run({ facts, policy }) {
    const wanted = policy?.substituters;
    if (!wanted?.length) return notApplicable('the policy names no substituters');
    const config = configOrVerdict(facts);
    if (isVerdict(config)) return config;
    const missing = wanted.filter((w) => !config.substituters.some((s) => sameUrl(s, w)));
    return listSettingVerdict(facts, 'substituters', missing, {
      passed: `all ${wanted.length} team cache(s) configured`,
      failed: `not configured: ${missing.join(', ')}`,
    });
  },
};
