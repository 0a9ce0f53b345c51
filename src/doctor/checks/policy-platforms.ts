// Team policy `health.platforms`: the support-matrix rows the team works on.
import { fail, notApplicable, pass, type Check } from '../check.js';

export const policyPlatforms: Check = {
  id: 'policy-platforms',
  title: 'Team: platform',
  required: true,
  policyKey: 'platforms',
  run({ row, match, policy }) {
    const allowed = policy?.platforms;
    if (!allowed?.length) return notApplicable('the policy names no platforms');
    if (!row)
      return fail(`no platform row for ${match.key}`, `The team works on ${allowed.join(', ')}`);
    if (allowed.includes(row.id)) return pass(`${row.id} is one of the team's platforms`);
    return fail(
      `${row.id} is not one of the team's platforms (${allowed.join(', ')})`,
      'Use a machine of one of those platforms, or ask the team to add this one to crossflake.json',
    );
  },
};
