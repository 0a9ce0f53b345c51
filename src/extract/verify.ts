// The pure half of `extract apply`'s behaviour proof: which configurations'
// derivations a step changed, and the first thing that differs between two
// derivations, found by walking their inputs down to where the change starts.
import type { DrvPathSets, ShownDerivation } from '../io/nix-drv.js';
import { isSecretName } from '../secrets/entropy.js';
import { hasSecret, maskedText } from '../secrets/index.js';

/** One configuration whose drvPath is not what it was (null: absent on that side). */
export interface ConfigChange {
  name: string;
  before: string | null;
  after: string | null;
}

export type Difference =
  | { kind: 'input-drv' | 'input-src'; name: string; before: string | null; after: string | null }
  | { kind: 'builder' | 'system' | 'outputs'; before: string; after: string }
  | { kind: 'args'; index: number; before: string | null; after: string | null }
  | { kind: 'env'; key: string; before: string | null; after: string | null };

export interface FoundDifference {
  /** Derivation names from the configuration's own down to the one that differs. */
  chain: string[];
  difference: Difference;
}

/** What the proof concluded; "not-run" and "skipped" are never a pass. */
export type Verification =
  | { verified: true; configurations: string[] }
  | {
      verified: false;
      changed: ConfigChange[];
      first: (FoundDifference & { configuration: string }) | null;
      /** Why the first difference could not be shown. */
      unexplained?: string;
      /** Set when the configurations no longer evaluate after the step. */
      error?: string;
    }
  | { verified: 'not-run'; reason: string }
  | { verified: 'skipped'; reason: string };

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_'-]*$/;

/** `nixosConfigurations.laptop`, `homeConfigurations."alice@laptop"`: as a user writes the attribute. */
export function configurationName(set: string, name: string): string {
  return `${set}.${IDENTIFIER.test(name) ? name : JSON.stringify(name)}`;
}

export function flattenDrvPaths(sets: DrvPathSets): Map<string, string> {
  const out = new Map<string, string>();
  for (const set of Object.keys(sets).sort())
    for (const [name, drv] of Object.entries(sets[set] ?? {}).sort(([a], [b]) => (a < b ? -1 : 1)))
      out.set(configurationName(set, name), drv);
  return out;
}

export function changedConfigurations(
  before: Map<string, string>,
  after: Map<string, string>,
): ConfigChange[] {
  const names = [...new Set([...before.keys(), ...after.keys()])].sort();
  return names
    .map((name) => ({ name, before: before.get(name) ?? null, after: after.get(name) ?? null }))
    .filter((c) => c.before !== c.after);
}

/** A store path's name: `/nix/store/<hash>-toplevel.drv` -> `toplevel.drv`. */
export function storeName(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1);
  return /^[0-9a-z]{32}-/.test(base) ? base.slice(33) : base;
}

function drvName(path: string): string {
  return storeName(path).replace(/\.drv$/, '');
}

type Derivations = Record<string, ShownDerivation>;

/** Later Nix keys derivations by base name; Nix 2.8 by full path. */
function lookup(all: Derivations, path: string): ShownDerivation | undefined {
  return all[path] ?? all[path.slice(path.lastIndexOf('/') + 1)];
}

interface Paired {
  before: string | null;
  after: string | null;
}

/** Paths only one side has, paired by store name (sorted, so the answer is stable). */
function pairByName(before: string[], after: string[]): Paired[] {
  const common = new Set(before.filter((p) => after.includes(p)));
  const left = before.filter((p) => !common.has(p)).sort((a, b) => cmp(storeName(a), storeName(b)));
  const right = after.filter((p) => !common.has(p));
  const pairs: Paired[] = [];
  for (const b of left) {
    const i = right.findIndex((a) => storeName(a) === storeName(b));
    pairs.push({ before: b, after: i >= 0 ? right.splice(i, 1)[0]! : null });
  }
  for (const a of right.sort((x, y) => cmp(storeName(x), storeName(y))))
    pairs.push({ before: null, after: a });
  return pairs.sort((x, y) =>
    cmp(storeName(x.before ?? x.after!), storeName(y.before ?? y.after!)),
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function fieldDifference(b: ShownDerivation, a: ShownDerivation): Difference | null {
  if (b.builder !== a.builder) return { kind: 'builder', before: b.builder, after: a.builder };
  if ((b.system ?? '') !== (a.system ?? ''))
    return { kind: 'system', before: b.system ?? '', after: a.system ?? '' };
  const outs = (d: ShownDerivation) => Object.keys(d.outputs).sort().join(',');
  if (outs(b) !== outs(a)) return { kind: 'outputs', before: outs(b), after: outs(a) };
  for (let i = 0; i < Math.max(b.args.length, a.args.length); i++)
    if (b.args[i] !== a.args[i])
      return { kind: 'args', index: i, before: b.args[i] ?? null, after: a.args[i] ?? null };
  // An output's own path changes whenever anything else does: it is the effect, not a cause.
  const own = new Set(Object.keys(b.outputs));
  const keys = [...new Set([...Object.keys(b.env), ...Object.keys(a.env)])].sort();
  for (const key of keys) {
    if (own.has(key)) continue;
    if (b.env[key] !== a.env[key])
      return { kind: 'env', key, before: b.env[key] ?? null, after: a.env[key] ?? null };
  }
  return null;
}

/**
 * The first difference between two derivations: a differing input
 * derivation is followed down (its own first difference is the cause), then
 * sources, then the derivation's own builder, arguments and environment.
 */
export function firstDifference(
  beforeDrv: string,
  afterDrv: string,
  before: Derivations,
  after: Derivations,
  seen: Set<string> = new Set(),
): FoundDifference | null {
  const b = lookup(before, beforeDrv);
  const a = lookup(after, afterDrv);
  const name = drvName(afterDrv);
  if (!b || !a || seen.has(`${beforeDrv}\0${afterDrv}`)) return null;
  seen.add(`${beforeDrv}\0${afterDrv}`);
  for (const pair of pairByName(Object.keys(b.inputDrvs), Object.keys(a.inputDrvs))) {
    if (pair.before && pair.after) {
      const deeper = firstDifference(pair.before, pair.after, before, after, seen);
      if (deeper) return { chain: [name, ...deeper.chain], difference: deeper.difference };
    }
    const which = storeName(pair.before ?? pair.after!);
    return { chain: [name], difference: { kind: 'input-drv', name: which, ...pair } };
  }
  for (const pair of pairByName(b.inputSrcs, a.inputSrcs)) {
    const which = storeName(pair.before ?? pair.after!);
    return { chain: [name], difference: { kind: 'input-src', name: which, ...pair } };
  }
  const own = fieldDifference(b, a);
  return own ? { chain: [name], difference: own } : null;
}

/** A value as the refusal shows it: quoted, cut short, and masked when it looks like a secret. */
function shown(value: string | null, name = ''): string {
  if (value === null) return '(none)';
  // A derivation's environment can carry a token a configuration should not hold.
  if (isSecretName(name) || hasSecret(value)) return maskedText('secret', value.length);
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}..."` : text;
}

/** One line: where the difference is and what it is. */
export function describeDifference(found: FoundDifference): string {
  const d = found.difference;
  const where = found.chain.join(' > ');
  switch (d.kind) {
    case 'input-drv':
      return `${where}: input derivation ${d.name} ${d.before ? (d.after ? 'differs' : 'was removed') : 'was added'} (${shown(d.before)} -> ${shown(d.after)})`;
    case 'input-src':
      return `${where}: input source ${d.name} ${d.before ? (d.after ? 'differs' : 'was removed') : 'was added'} (${shown(d.before)} -> ${shown(d.after)})`;
    case 'args':
      return `${where}: builder argument ${d.index + 1} ${shown(d.before)} -> ${shown(d.after)}`;
    case 'env':
      return `${where}: env.${d.key} ${shown(d.before, d.key)} -> ${shown(d.after, d.key)}`;
    default:
      return `${where}: ${d.kind} ${shown(d.before)} -> ${shown(d.after)}`;
  }
}

/** The refusal's text: every changed configuration, and what differs first in the first of them. */
export function describeRefusal(v: Extract<Verification, { verified: false }>): string {
  if (v.error !== undefined)
    return `the personal flake's configurations no longer evaluate after the step: ${v.error}`;
  const names = v.changed.map((c) =>
    c.before === null ? `${c.name} (added)` : c.after === null ? `${c.name} (removed)` : c.name,
  );
  const first = v.first
    ? `; first difference in ${v.first.configuration}: ${describeDifference(v.first)}`
    : v.unexplained
      ? `; the derivations could not be compared: ${v.unexplained}`
      : '';
  return `the step changes what ${names.length === 1 ? 'this configuration builds' : 'these configurations build'}: ${names.join(', ')}${first}`;
}
