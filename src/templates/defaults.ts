// Machine-specific defaults: the user name, host name and Nix system from
// doctor's facts, the name and e-mail from git config. Pure: the command
// collects the facts and the git identity and passes them in. A derived
// value that breaks the parameter's rule (a user named root, a host name
// with dots) falls back to the template's own harmless default.
import type { HostFacts } from '../io/host/facts.js';
import { known } from '../io/host/facts.js';
import { matchRow } from '../platforms/index.js';
import { checkValue } from './validate.js';
import type { DefaultSource, ParamValues, TemplateSpec } from './types.js';

export interface GitIdentity {
  name: string | null;
  email: string | null;
}

/**
 * The Nix system a configuration for this machine targets: its row of the
 * support matrix (so a Mac under Rosetta still gets aarch64-darwin, and
 * Windows gets its WSL2 row), else what nix reports, else kernel and CPU.
 */
export function nixSystemOf(facts: HostFacts): string | null {
  const fromRow = matchRow(facts).row?.nixSystem;
  if (fromRow) return fromRow;
  const fromNix = known(known(facts.nix)?.config)?.system;
  if (fromNix) return fromNix;
  const { kernel, arch } = facts.os;
  if ((kernel === 'linux' || kernel === 'darwin') && arch !== 'other') return `${arch}-${kernel}`;
  return null;
}

/** "Adas-MacBook-Pro.local" -> "Adas-MacBook-Pro": a NixOS host name has no dots. */
export function shortHostname(hostname: string): string {
  return hostname.split('.')[0] ?? '';
}

function candidate(
  source: DefaultSource,
  facts: HostFacts | null,
  git: GitIdentity,
): string | null {
  switch (source) {
    case 'facts.user.name':
      return facts?.user.name ?? null;
    case 'facts.user.hostname':
      return facts ? shortHostname(facts.user.hostname) : null;
    case 'facts.nixSystem':
      return facts ? nixSystemOf(facts) : null;
    case 'git.user.name':
      return git.name;
    case 'git.user.email':
      return git.email;
  }
}

/** Default values for every parameter of a template on this machine. */
export function deriveDefaults(
  spec: TemplateSpec,
  facts: HostFacts | null,
  git: GitIdentity,
): ParamValues {
  const values: ParamValues = {};
  for (const param of spec.parameters) {
    if (param.default !== undefined) values[param.name] = param.default;
    if (!param.defaultFrom) continue;
    const derived = candidate(param.defaultFrom, facts, git);
    if (derived === null || derived === '') continue;
    const checked = checkValue(param, derived);
    if (checked.ok) values[param.name] = checked.value;
  }
  return values;
}

/**
 * Whether the machine must be asked at all: only for a parameter that takes
 * its default from the facts or from git and was not given. With every such
 * parameter given, init starts no probe and no git.
 */
export function sourcesNeeded(
  spec: TemplateSpec,
  given: ParamValues,
): { facts: boolean; git: boolean } {
  const missing = spec.parameters.filter((p) => p.defaultFrom && !Object.hasOwn(given, p.name));
  return {
    facts: missing.some((p) => p.defaultFrom!.startsWith('facts.')),
    git: missing.some((p) => p.defaultFrom!.startsWith('git.')),
  };
}
