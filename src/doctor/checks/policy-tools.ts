// Team policy `health.requiredTools`: programs the team's workflow expects on PATH.
import { fail, notApplicable, pass, warn, type Check } from '../check.js';

export const policyTools: Check = {
  id: 'policy-required-tools',
  title: 'Team: required tools',
  required: true,
  policyKey: 'requiredTools',
  run({ facts, policy }) {
    const wanted = policy?.requiredTools;
    if (!wanted?.length) return notApplicable('the policy names no requiredTools');
    const tools = facts.tools ?? {};
    // A recorded file that never asked about a tool cannot say it is missing.
    const unasked = wanted.filter((t) => !(t in tools));
    const missing = wanted.filter((t) => t in tools && tools[t] === null);
    if (missing.length > 0) {
      return fail(
        `not on PATH: ${missing.join(', ')}`,
        `Install ${missing.join(', ')} (in your configuration's packages, e.g. home.packages), then open a new shell`,
      );
    }
    if (unasked.length > 0) {
      return warn(
        `these facts do not record ${unasked.join(', ')}`,
        'Run doctor on the machine itself',
      );
    }
    return pass(`on PATH: ${wanted.join(', ')}`);
  },
};
