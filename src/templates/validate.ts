// Validation of parameter values. Every value passes here before it reaches
// a file name, a file or a printed command: the pattern decides what a value
// may look like, and a fixed set of characters is refused whatever the
// pattern says, because those are what break out of a Nix string, a path or
// a shell line.
import type { ParamSpec, ParamValue, ParamValues, TemplateSpec } from './types.js';

export const DEFAULT_MAX_LENGTH = 64;

export type Checked = { ok: true; value: ParamValue } | { ok: false; message: string };

// Control characters (newline included) are exactly what must never pass.
// C0 and C1 controls, the line and paragraph separators, and the Unicode
// bidirectional controls (embeddings, overrides, isolates, marks): the last
// make a value show in a terminal or an editor other than it is (a reversed
// name, a hidden part), so they never go into a generated file.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/u;
// Quotes, `$`, backquote and backslash: refused unless the parameter is free
// text, whose values are escaped for Nix and may only appear in Nix strings.
const SPECIAL = /["'`$\\]/u;

function refuse(param: ParamSpec, why: string): Checked {
  return { ok: false, message: `parameter '${param.name}' ${why} (rule: ${param.rule})` };
}

const TRUE_WORDS = new Set(['true', 'yes', 'y', '1', 'on']);
const FALSE_WORDS = new Set(['false', 'no', 'n', '0', 'off']);

/** Checks one value against its parameter; strings for booleans ("yes") are converted. */
export function checkValue(param: ParamSpec, raw: ParamValue): Checked {
  if (param.type === 'boolean') {
    if (typeof raw === 'boolean') return { ok: true, value: raw };
    const word = raw.trim().toLowerCase();
    if (TRUE_WORDS.has(word)) return { ok: true, value: true };
    if (FALSE_WORDS.has(word)) return { ok: true, value: false };
    return refuse(param, `must be yes or no, not ${JSON.stringify(raw)}`);
  }
  if (typeof raw !== 'string') return refuse(param, 'must be text, not a yes/no value');
  if (param.type === 'enum') {
    const choices = param.choices ?? [];
    return choices.includes(raw)
      ? { ok: true, value: raw }
      : refuse(param, `must be one of ${choices.join(', ')}, not ${JSON.stringify(raw)}`);
  }
  return checkString(param, raw);
}

function checkString(param: ParamSpec, value: string): Checked {
  const max = param.maxLength ?? DEFAULT_MAX_LENGTH;
  if (value.length === 0) return refuse(param, 'must not be empty');
  if (value.length > max) {
    return refuse(param, `is ${value.length} characters long; at most ${max} are allowed`);
  }
  const control = CONTROL.exec(value);
  if (control) {
    const code = control[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    return refuse(
      param,
      `must be one line without control or bidirectional characters (U+${code} at ${control.index + 1})`,
    );
  }
  if (value.includes('..')) return refuse(param, "must not contain '..'");
  if (!param.freeText && SPECIAL.test(value)) {
    return refuse(param, 'must not contain quotes, \'$\', \'`\' or \'\\\'');
  }
  if (!param.freeText && !param.allowSlash && value.includes('/')) {
    return refuse(param, "must not contain '/'");
  }
  if (param.pattern !== undefined && !new RegExp(param.pattern, 'u').test(value)) {
    return refuse(param, `does not fit: ${JSON.stringify(value)}`);
  }
  if (param.forbidden?.includes(value)) return refuse(param, `must not be ${JSON.stringify(value)}`);
  return { ok: true, value };
}

/** The one line for a parameter that has no default and was not given: where a value comes from. */
export function missingMessage(param: ParamSpec): string {
  const ways =
    param.name === 'sharedFlake'
      ? `--flake <flake-ref> or -p sharedFlake=<flake-ref> (${param.rule}), or set templates.sharedFlake in crossflake.json`
      : `-p ${param.name}=<value> (${param.rule})`;
  return `'${param.name}' (${param.description.toLowerCase()}) has no default: give ${ways}`;
}

/** Parameters without a default that `values` does not set. */
export function missingParams(spec: TemplateSpec, values: ParamValues): ParamSpec[] {
  return spec.parameters.filter((p) => p.default === undefined && values[p.name] === undefined);
}

/** Checks a full set of values; returns the converted values or every problem at once. */
export function checkAll(
  spec: TemplateSpec,
  values: ParamValues,
): { values: ParamValues; problems: string[] } {
  const problems: string[] = [];
  const out: ParamValues = {};
  for (const name of Object.keys(values)) {
    if (!spec.parameters.some((p) => p.name === name)) {
      const known = spec.parameters.map((p) => p.name).join(', ');
      problems.push(`template '${spec.name}' has no parameter '${name}' (it has: ${known})`);
    }
  }
  for (const param of spec.parameters) {
    const raw = values[param.name] ?? param.default;
    if (raw === undefined) {
      problems.push(missingMessage(param));
      continue;
    }
    const checked = checkValue(param, raw);
    if (checked.ok) out[param.name] = checked.value;
    else problems.push(checked.message);
  }
  return { values: out, problems };
}

/** Parses `--param key=value` arguments; the value may itself contain '='. */
export function parseParamArgs(args: readonly string[]): ParamValues {
  const out: ParamValues = {};
  for (const arg of args) {
    const eq = arg.indexOf('=');
    if (eq <= 0) throw new Error(`--param needs key=value, got ${JSON.stringify(arg)}`);
    const key = arg.slice(0, eq);
    if (key in out) throw new Error(`--param ${key} is given twice`);
    out[key] = arg.slice(eq + 1);
  }
  return out;
}
