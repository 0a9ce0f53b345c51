// Team policy `health.substituters`: the team's caches are configured.
import { fail, notApplicable, pass, type Check } from '../check.js';
import { settingFixText } from '../install-fixes.js';
import { configOrVerdict, isVerdict, sameUrl } from '../policy-config.js';

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
    if (missing.length === 0) return pass(`all ${wanted.length} team cache(s) configured`);
    return fail(
      `not configured: ${missing.join(', ')}`,
      settingFixText(facts, 'extra-substituters', missing.join(' ')),
    );
  },
};
