// Team policy `health.trustedPublicKeys`: the keys that sign the team's cache.
import { fail, notApplicable, pass, warn, type Check } from '../check.js';
import { settingFixText } from '../install-fixes.js';
import { configOrVerdict, isVerdict } from '../policy-config.js';

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
    if (missing.length === 0) return pass(`all ${wanted.length} team key(s) trusted`);
    const names = missing.map((k) => k.split(':')[0]).join(', ');
    return fail(
      `not trusted: ${names}`,
      settingFixText(facts, 'extra-trusted-public-keys', missing.join(' ')),
    );
  },
};
