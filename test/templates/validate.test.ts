import { describe, expect, it } from 'vitest';
import { embeddedTemplatesDir, loadAll } from '../../src/templates/load.js';
import { checkAll, missingParams, checkValue, parseParamArgs } from '../../src/templates/validate.js';
import type { ParamSpec } from '../../src/templates/types.js';

const templates = await loadAll(embeddedTemplatesDir());
const param = (template: string, name: string): ParamSpec => {
  const found = templates
    .find((t) => t.spec.name === template)
    ?.spec.parameters.find((p) => p.name === name);
  if (!found) throw new Error(`${template} has no ${name}`);
  return found;
};

const HOSTILE: [string, string][] = [
  ['../x', "'..'"],
  ['a"b', 'quotes'],
  ['$(touch pwned)', "'$'"],
  ['ada\nroot', 'one line'],
  ['a'.repeat(300), '300 characters'],
];

describe('hostile parameter values are refused, naming the parameter and the rule', () => {
  for (const template of templates) {
    const strings = template.spec.parameters.filter((p) => p.type === 'string');
    for (const p of strings) {
      for (const [value, why] of HOSTILE) {
        // Free text (a full name) may hold quotes and '$': they are escaped, not refused.
        if (p.freeText && (why === 'quotes' || why === "'$'")) continue;
        it(`${template.spec.name}.${p.name} = ${JSON.stringify(value.slice(0, 20))}`, () => {
          const checked = checkValue(p, value);
          expect(checked.ok).toBe(false);
          if (checked.ok) return;
          expect(checked.message).toContain(`parameter '${p.name}'`);
          expect(checked.message).toContain(`(rule: ${p.rule})`);
          expect(checked.message).toContain(why);
        });
      }
    }
  }

  it('the user name root is refused in every template that has a user name', () => {
    const withUser = templates.filter((t) => t.spec.parameters.some((p) => p.name === 'username'));
    expect(withUser.length).toBeGreaterThanOrEqual(4);
    for (const t of withUser) {
      const checked = checkValue(param(t.spec.name, 'username'), 'root');
      expect(checked).toEqual({
        ok: false,
        message: expect.stringMatching(/^parameter 'username' must not be "root" \(rule: .*not root\)$/),
      });
    }
  });

  it('host names: a label, no dots, no leading dash, at most 63 characters', () => {
    const host = param('wsl-nixos', 'hostname');
    for (const good of ['ada-laptop', 'A1', 'x'.repeat(63)]) expect(checkValue(host, good).ok).toBe(true);
    for (const bad of ['-x', 'x-', 'ada.local', 'a_b', 'x'.repeat(64), '']) {
      expect(checkValue(host, bad).ok).toBe(false);
    }
  });

  it('POSIX user names: lowercase start, then a-z 0-9 _ -', () => {
    const user = param('darwin', 'username');
    for (const good of ['ada', '_svc', 'a-b_c9']) expect(checkValue(user, good).ok).toBe(true);
    for (const bad of ['Ada', '9ada', 'a b', 'a@b', 'x'.repeat(33)]) {
      expect(checkValue(user, bad).ok).toBe(false);
    }
  });

  it('free text keeps quotes and $ (escaped later) but never a newline', () => {
    const name = param('wsl-nixos', 'fullName');
    expect(checkValue(name, 'Grace "Amazing" O\'Hopper $x')).toEqual({
      ok: true,
      value: 'Grace "Amazing" O\'Hopper $x',
    });
    expect(checkValue(name, 'a\nb').ok).toBe(false);
  });

  it('slashes only where a value is a path-like reference, never ..', () => {
    expect(checkValue(param('wsl-nixos', 'sharedFlake'), 'github:acme/cfg').ok).toBe(true);
    expect(checkValue(param('wsl-nixos', 'sharedFlake'), 'path:/srv/../etc').ok).toBe(false);
    expect(checkValue(param('wsl-nixos', 'timezone'), 'Europe/Berlin').ok).toBe(true);
    expect(checkValue(param('wsl-nixos', 'username'), 'a/b').ok).toBe(false);
  });

  it('enums take only their choices; booleans take yes/no words', () => {
    const system = param('darwin', 'system');
    expect(checkValue(system, 'x86_64-darwin').ok).toBe(true);
    expect(checkValue(system, 'x86_64-linux')).toMatchObject({ ok: false });
    const home = param('darwin', 'homeManager');
    expect(checkValue(home, 'no')).toEqual({ ok: true, value: false });
    expect(checkValue(home, 'YES')).toEqual({ ok: true, value: true });
    expect(checkValue(home, 'maybe').ok).toBe(false);
  });

  it('checkAll reports every problem at once, including unknown parameters', () => {
    const spec = templates.find((t) => t.spec.name === 'wsl-home')!.spec;
    const { problems } = checkAll(spec, { username: 'root', email: 'nope', colour: 'red' });
    // root, the e-mail, colour, and sharedFlake (no default, not given).
    expect(problems).toHaveLength(4);
    expect(problems.join('\n')).toMatch(/no parameter 'colour'/);
    expect(problems.join('\n')).toMatch(
      /'sharedFlake' \(.*\) has no default: give --flake <flake-ref> or -p sharedFlake=<flake-ref>/,
    );
  });

  it('a parameter without a default is missing until given; a given one passes its rule', () => {
    const spec = templates.find((t) => t.spec.name === 'wsl-home')!.spec;
    const base = { username: 'ada', email: 'ada@example.org' };
    expect(missingParams(spec, base).map((p) => p.name)).toEqual(['sharedFlake']);
    expect(missingParams(spec, { ...base, sharedFlake: 'path:/srv/x' })).toEqual([]);
    expect(checkAll(spec, { ...base, sharedFlake: 'path:/srv/x' }).problems).toEqual([]);
  });

  it('--param parsing: key=value, = inside values, duplicates refused', () => {
    expect(parseParamArgs(['a=b', 'c=d=e'])).toEqual({ a: 'b', c: 'd=e' });
    expect(() => parseParamArgs(['novalue'])).toThrow(/key=value/);
    expect(() => parseParamArgs(['a=1', 'a=2'])).toThrow(/twice/);
  });
});
