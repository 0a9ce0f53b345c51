// Every option `crossflake extract` can suggest must be declared by the shared
// flake: a plan that tells a user to set an undeclared option would fail to
// evaluate. The declarations are read from nix/modules/shared/personal.nix
// with the repo's own parser.
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { suggestOption, type ValueKind } from '../../src/extract/options.js';
import type { Expr } from '../../src/nixlang/index.js';
import { parseNix } from '../../src/nixlang/index.js';
import { boundAttrPaths, importsLists, type BoundPath } from '../../src/nixlang/visit.js';

const modulesDir = fileURLToPath(new URL('../../nix/modules/', import.meta.url));
const personalFile = path.join(modulesDir, 'shared/personal.nix');
const optionsFile = path.join(modulesDir, 'shared/options.nix');

const OPTION_FUNCTIONS = new Set(['mkOption', 'mkEnableOption', 'mkPackageOption']);

/** The function a call chain starts with: `mkOption` in `lib.mkOption { }`. */
function calledName(e: Expr): string | null {
  while (e.type === 'Paren') e = e.expr;
  // `mkEnableOption "x" // { default = true; }` declares an option too.
  if (e.type === 'Binary' && e.op === '//') return calledName(e.left);
  if (e.type !== 'App') return null;
  let fn = e.fn;
  while (fn.type === 'App' || fn.type === 'Paren') fn = fn.type === 'App' ? fn.fn : fn.expr;
  if (fn.type === 'Var') return fn.name;
  if (fn.type === 'Select') {
    const last = fn.path[fn.path.length - 1];
    return last?.type === 'Identifier' ? last.name : null;
  }
  return null;
}

/** `crossflake.x.y` for every `options.crossflake.x.y = mkOption ...` in a file. */
function declaredOptions(source: string): Set<string> {
  const tree = parseNix(source);
  expect(tree.diagnostics).toEqual([]);
  const out = new Set<string>();
  for (const b of boundAttrPaths(tree)) {
    const [head, ns, ...rest] = b.path;
    if (head !== 'options' || ns !== 'crossflake' || rest.length === 0) continue;
    if (!b.value || !OPTION_FUNCTIONS.has(calledName(b.value) ?? '')) continue;
    if (rest.some((p) => p === null)) continue;
    out.add(['crossflake', ...rest].join('.'));
  }
  return out;
}

/** The file and every `./relative.nix` it imports, transitively. */
function relativeImportClosure(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const tree = parseNix(readFileSync(file, 'utf8'));
  for (const list of importsLists(tree))
    for (const item of list.items) {
      if (item.type !== 'Path') continue;
      const text = tree.source.slice(item.start, item.end);
      relativeImportClosure(path.resolve(path.dirname(file), text), seen);
    }
  return seen;
}

/** The binding of `path` in a one-line module, as the rules would see it. */
function bindingOf(source: string, path: string): BoundPath {
  const found = boundAttrPaths(parseNix(source)).find((b) => b.path.join('.') === path);
  if (!found) throw new Error(`no binding ${path} in ${source}`);
  return found;
}

// A Record over ValueKind: a new kind fails to type-check until it is listed.
const KINDS: Record<ValueKind, true> = {
  user: true,
  host: true,
  domain: true,
  email: true,
  'full-name': true,
  'windows-user': true,
  'ssh-key': true,
  other: true,
};

/** The declared option a suggestion is set through (personal.<x> lives in `personal`). */
function declaringOption(suggestion: string): string {
  return suggestion.startsWith('crossflake.personal.') ? 'crossflake.personal' : suggestion;
}

/** Every suggestion: each kind without a binding, in an ordinary setting, and in shellAliases. */
function allSuggestions(): string[] {
  const plain = bindingOf(
    '{ programs.tool.settings.account = "x"; }',
    'programs.tool.settings.account',
  );
  const alias = bindingOf('{ home.shellAliases.rebuild = "x"; }', 'home.shellAliases.rebuild');
  const out = new Set<string>();
  for (const kind of Object.keys(KINDS) as ValueKind[])
    for (const binding of [null, plain, alias]) out.add(suggestOption(kind, binding));
  return [...out].sort();
}

describe('suggested options are declared by the shared flake', () => {
  const declared = declaredOptions(readFileSync(personalFile, 'utf8'));
  const system = declaredOptions(readFileSync(optionsFile, 'utf8'));

  it('reads the declarations of personal.nix and options.nix', () => {
    expect(declared).toContain('crossflake.user.name');
    expect(system).toContain('crossflake.user.enable');
    expect(system).toContain('crossflake.nix.gc.olderThan');
    // home-manager gets only the personal values, not options that act on systems.
    expect(declared).not.toContain('crossflake.user.enable');
    expect(declared).not.toContain('crossflake.nix.gc.olderThan');
    expect(relativeImportClosure(optionsFile)).toContain(personalFile);
    // Option attributes (type, default) and option-set names are not options.
    expect(declared).not.toContain('crossflake.user');
    expect([...declared].some((o) => o.endsWith('.type') || o.endsWith('.default'))).toBe(false);
  });

  it('covers every kind of suggestion, the shellAliases one and both `other` forms', () => {
    const all = allSuggestions();
    expect(all).toEqual(
      expect.arrayContaining([
        'crossflake.user.name',
        'crossflake.user.email',
        'crossflake.user.flake',
        'crossflake.host.name',
        'crossflake.wsl.windowsUser',
        'crossflake.personal.account',
        'crossflake.personal.value',
      ]),
    );
  });

  it.each(allSuggestions())('%s is declared in nix/modules/shared/personal.nix', (suggestion) => {
    expect(declared).toContain(declaringOption(suggestion));
  });

  // A moved module lands in nix/modules/<class>/ and is used beside that
  // class's modules, so each of them must bring personal.nix in.
  const classModules = ['nixos', 'darwin', 'home'].flatMap((cls) =>
    readdirSync(path.join(modulesDir, cls))
      .filter((f) => f.endsWith('.nix'))
      .map((f) => `${cls}/${f}`),
  );
  it.each(classModules)('%s imports shared/personal.nix (directly or not)', (file) => {
    expect(relativeImportClosure(path.join(modulesDir, file))).toContain(personalFile);
  });

  it('would catch an undeclared suggestion (recorded example)', () => {
    const before = declaredOptions(
      '{ lib, ... }: { options.crossflake.user = { name = lib.mkOption { type = lib.types.str; }; }; }',
    );
    expect(before).toEqual(new Set(['crossflake.user.name']));
    expect(before).not.toContain(declaringOption(suggestOption('email', null)));
    expect(before).not.toContain(declaringOption(suggestOption('other', null)));
  });
});
