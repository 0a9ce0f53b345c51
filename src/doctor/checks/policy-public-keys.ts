// Team policy `health.trustedPublicKeys`: the keys that sign the team's cache.
import { notApplicable, warn, type Check } from '../check.js';
import { configOrVerdict, isVerdict, listSettingVerdict } from '../policy-config.js';

export const policyPublicKeys: Check = {
  id: 'policy-trusted-public-keys',
  title: 'Team: cache signing keys',
  required: true,
  policyKey: 'trustedPublicKeys',
  run({ facts, policy }) {
    const wanted = policy?.trustedPublicKeys;
    if (!wanted?.length) return notApplicable('the policy names no trustedPublicKeys');
    const config = configOrVerdict(facts);
    if (isVerdict(config)) return config;
    // Facts recorded before trusted-public-keys was read cannot answer.
    if (config.trustedPublicKeys === undefined) {
      return warn(
        'these facts do not record trusted-public-keys',
        'Run doctor on the machine itself',
      );
    }
    const have = config.trustedPublicKeys;
    const missing = wanted.filter((k) => !have.includes(k));
    return listSettingVerdict(facts, 'trusted-public-keys', missing, {
      passed: `all ${wanted.length} team key(s) trusted`,
      // A key is named by its name part; the key material adds nothing here.
      failed: `not trusted: ${missing.map((k) => k.split(':')[0]).join(', ')}`,
    });
  },
};
