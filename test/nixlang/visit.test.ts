// The queries later features use: bound attribute paths, imports lists,
// string literals, inputs.* references, function formals.
import { describe, expect, it } from 'vitest';
import { parseNix } from '../../src/nixlang/index.js';
import {
  boundAttrPaths,
  functionFormals,
  importsLists,
  inputsReferences,
  stringLiterals,
} from '../../src/nixlang/visit.js';

const MODULE = `{ config, lib, pkgs ? import <nixpkgs> {}, ... }@args:
let
  helper = { name, value }: name;
in {
  imports = [ ./hardware.nix (import ./users.nix) ];
  networking.hostName = "box";
  services = {
    openssh.enable = true;
    nginx = { enable = false; "virtual hosts".a = 1; };
  };
  \${"dyn"} = 1;
  inherit (lib) mkIf;
  home.packages = [ inputs.nixpkgs.legacyPackages.x86_64-linux.hello inputs.self ];
  environment.etc."motd".text = ''
    hello é
      world
  '';
}
`;

describe('visitors', () => {
  const tree = parseNix(MODULE, { check: false });

  it('the sample parses cleanly', () => {
    expect(tree.diagnostics).toEqual([]);
  });

  it('finds attribute paths bound at any depth, with nested sets flattened', () => {
    const paths = boundAttrPaths(tree).map((b) => b.path.map((p) => p ?? '${...}').join('.'));
    expect(paths).toEqual([
      'helper',
      'imports',
      'networking.hostName',
      'services',
      'services.openssh.enable',
      'services.nginx',
      'services.nginx.enable',
      'services.nginx.virtual hosts.a',
      'dyn',
      'mkIf',
      'home.packages',
      'environment.etc.motd.text',
    ]);
  });

  it('finds imports lists and their elements', () => {
    const lists = importsLists(tree);
    expect(lists).toHaveLength(1);
    expect(lists[0]!.items.map((i) => MODULE.slice(i.start, i.end))).toEqual([
      './hardware.nix',
      '(import ./users.nix)',
    ]);
  });

  it('finds string literals with positions and constant values', () => {
    const strings = stringLiterals(tree);
    const host = strings.find((s) => s.value === 'box')!;
    expect(Buffer.from(MODULE).subarray(host.start, host.end).toString()).toBe('"box"');
    const motd = strings.find((s) => s.value?.startsWith('hello'))!;
    expect(motd.value).toBe('hello é\n  world\n');
  });

  it('finds inputs.* references', () => {
    expect(inputsReferences(tree).map((r) => r.path)).toEqual([
      ['nixpkgs', 'legacyPackages', 'x86_64-linux', 'hello'],
      ['self'],
    ]);
  });

  it('finds function formals with defaults, ellipsis and @-name', () => {
    const all = functionFormals(tree);
    expect(all.map((f) => [f.names, f.withDefaults, f.ellipsis, f.arg])).toEqual([
      [['config', 'lib', 'pkgs'], ['pkgs'], true, 'args'],
      [['name', 'value'], [], false, null],
    ]);
  });
});

describe('positions', () => {
  it('maps a node offset to 1-based line and column', async () => {
    const { LineIndex } = await import('../../src/nixlang/index.js');
    const src = '{\n  a = 1;\n  b = "x";\n}\n';
    const tree = parseNix(src);
    const s = stringLiterals(tree)[0]!;
    expect(new LineIndex(tree.source).position(s.start)).toEqual({ line: 3, column: 7 });
  });
});
