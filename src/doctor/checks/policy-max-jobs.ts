// Team policy `health.minMaxJobs`: builds run at least this many jobs at once.
import { fail, notApplicable, pass, warn, type Check } from '../check.js';
import { settingFixText } from '../install-fixes.js';
import { configOrVerdict, isVerdict } from '../policy-config.js';

export const policyMaxJobs: Check = {
  id: 'policy-max-jobs',
  title: 'Team: max-jobs',
  required: true,
  policyKey: 'minMaxJobs',
  run({ facts, policy }) {
    const min = policy?.minMaxJobs;
    if (min === undefined) return notApplicable('the policy sets no minMaxJobs');
    const config = configOrVerdict(facts);
    if (isVerdict(config)) return config;
    if (config.maxJobs === null) return warn('max-jobs unknown', 'Run `nix show-config`');
    if (config.maxJobs >= min) return pass(`max-jobs ${config.maxJobs} (team: >= ${min})`);
    return fail(
      `max-jobs is ${config.maxJobs}; the team wants at least ${min}`,
      settingFixText(facts, 'max-jobs', String(Math.max(min, facts.resources.cpus))),
    );
  },
};
