// The classifier: weighs the rules' evidence for one file into a label. Order
// matters and is the safety argument: anything with secret evidence is
// `secret` whatever else it holds, so no secret is ever called shareable.
import type { Evidence, FileKind, Label, Parameter, Platform } from './model.js';

export interface FileFacts {
  path: string;
  kind: FileKind;
  /** Option bindings in the file (for the share of personal values). */
  optionCount: number;
  /** How many of those settings hold a personal value (a value repeated in one counts once). */
  personalSettings: number;
  /** The path puts the file under a host (hosts/<h>/, <host>.nix). */
  underHost: boolean;
  /** The path puts the file under a user (home/<u>/, users/<u>.nix, <user>.nix). */
  underUser: boolean;
}

export interface Decision {
  label: Label;
  platform?: Platform;
  needsParameters: boolean;
  parameters: Parameter[];
}

// A module with this many distinct personal values (or personal values in
// this share of its settings) is someone's configuration, not a shareable
// module with holes.
// One value repeated (a flake path in four aliases) is still one parameter.
const PERSONAL_VALUES = 4;
const PERSONAL_SHARE = 0.5;
// A module that names several of the person's machines (ssh matchBlocks, a
// hosts table) describes their fleet: no option could make it shareable.
const PERSONAL_HOSTS = 2;

export function decide(facts: FileFacts, evidence: Evidence[]): Decision {
  const has = (signal: Evidence['signal']): boolean => evidence.some((e) => e.signal === signal);
  const none = { needsParameters: false, parameters: [] };
  if (has('secret')) return { label: 'secret', ...none };
  if (has('host') || facts.underHost) return { label: 'host-specific', ...none };
  const personal = evidence.filter((e) => e.signal === 'personal');
  const entry = personal.some((e) => e.rule === 'entry-points');
  const parameters = toParameters(personal);
  if (personal.length > 0) {
    const share = facts.optionCount > 0 ? facts.personalSettings / facts.optionCount : 1;
    const isPersonal =
      entry ||
      facts.underUser ||
      facts.kind === 'data' ||
      facts.kind === 'flake' ||
      // Windows and host names are case-insensitive: TomaszK and tomaszk are one value.
      new Set(parameters.map((p) => p.value.toLowerCase())).size >= PERSONAL_VALUES ||
      distinctHosts(parameters) >= PERSONAL_HOSTS ||
      share >= PERSONAL_SHARE;
    if (isPersonal) return { label: 'personal', ...none };
  }
  // A secret's name or path becomes a parameter too, but never makes a file personal.
  parameters.push(...toParameters(evidence.filter((e) => e.signal === 'reference')));
  const platform = dominantPlatform(evidence);
  const needsParameters = parameters.length > 0;
  if (platform) return { label: 'platform-adapter', platform, needsParameters, parameters };
  return { label: 'shareable-base', needsParameters, parameters };
}

function distinctHosts(parameters: Parameter[]): number {
  return new Set(
    parameters.filter((p) => p.option === 'crossflake.host.name').map((p) => p.value.toLowerCase()),
  ).size;
}

function dominantPlatform(evidence: Evidence[]): Platform | undefined {
  const count: Record<Platform, number> = { wsl: 0, darwin: 0, linux: 0 };
  for (const e of evidence) if (e.signal === 'platform' && e.platform) count[e.platform]++;
  // WSL is Linux too: any WSL marker makes it a WSL adapter.
  if (count.wsl > 0) return 'wsl';
  if (count.darwin === 0 && count.linux === 0) return undefined;
  return count.darwin >= count.linux ? 'darwin' : 'linux';
}

/** One parameter per personal value; overlapping matches keep the widest. */
function toParameters(personal: Evidence[]): Parameter[] {
  const withOption = personal
    .filter((e) => e.option && e.value !== undefined && e.start !== undefined)
    .sort((a, b) => a.start! - b.start! || b.end! - a.end!);
  const out: Parameter[] = [];
  let reach = -1;
  for (const e of withOption) {
    if (e.start! < reach) continue;
    reach = e.end!;
    out.push({ option: e.option!, value: e.value!, line: e.line, column: e.column });
  }
  return out;
}
