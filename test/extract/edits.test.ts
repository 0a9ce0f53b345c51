import { describe, expect, it } from 'vitest';
import {
  addExport,
  addFlakeInput,
  applyEdits,
  ensureFormal,
  flakeInputRef,
} from '../../src/extract/edits.js';
import { parseNix } from '../../src/nixlang/index.js';

describe('byte-range edits', () => {
  it('replaces only the edited ranges', () => {
    expect(
      applyEdits('abcdef', [
        { start: 1, end: 2, text: 'X' },
        { start: 4, end: 4, text: 'Y' },
      ]),
    ).toBe('aXcdYef');
    expect(() =>
      applyEdits('abc', [
        { start: 0, end: 2, text: '' },
        { start: 1, end: 3, text: '' },
      ]),
    ).toThrow(/overlapping/);
  });

  it('adds a flake input inside `inputs = { }`, after a trailing comment, with its indentation', () => {
    const src =
      '{\n  inputs = {\n    nixpkgs.url = "github:NixOS/nixpkgs"; # pinned\n  };\n  outputs = _: { };\n}\n';
    const out = applyEdits(src, addFlakeInput(parseNix(src), 'shared', 'git+file:/x')!);
    expect(out).toBe(
      '{\n  inputs = {\n    nixpkgs.url = "github:NixOS/nixpkgs"; # pinned\n    shared.url = "git+file:/x";\n  };\n  outputs = _: { };\n}\n',
    );
    expect(addFlakeInput(parseNix(out), 'shared', 'git+file:/x')).toEqual([]);
  });

  it('adds a flake input beside dotted `inputs.x.url` bindings', () => {
    const src = '{\n  inputs.nixpkgs.url = "github:NixOS/nixpkgs";\n  outputs = _: { };\n}\n';
    const out = applyEdits(src, addFlakeInput(parseNix(src), 'shared', 'path:/s')!);
    expect(out).toContain('  inputs.shared.url = "path:/s";\n');
    expect(parseNix(out).diagnostics).toEqual([]);
  });

  it('adds `inputs` to a module pattern, also to `{ ... }`, and leaves it when present', () => {
    const add = (src: string): string => {
      const e = ensureFormal(parseNix(src), 'inputs');
      return e ? applyEdits(src, [e]) : src;
    };
    expect(add('{ pkgs, ... }: { }')).toBe('{ inputs, pkgs, ... }: { }');
    expect(add('{ ... }: { }')).toBe('{ inputs, ... }: { }');
    expect(add('{ inputs, ... }: { }')).toBe('{ inputs, ... }: { }');
  });

  it('refers to the input from flake.nix as inputs.<x> or through a new formal', () => {
    expect(flakeInputRef(parseNix('{ outputs = inputs@{ self, ... }: { }; }'), 's')).toEqual({
      ref: 'inputs.s',
      edits: [],
    });
    const src = '{ outputs = { self, nixpkgs }: { }; }';
    const ref = flakeInputRef(parseNix(src), 's')!;
    expect(ref.ref).toBe('s');
    expect(applyEdits(src, ref.edits)).toBe('{ outputs = { s, self, nixpkgs }: { }; }');
  });

  it('exports a module in the shared flake: into an existing set, or as a new dotted binding; detects present and conflicts', () => {
    const src =
      '{\n  outputs = { self }: {\n    homeModules = {\n      a = { imports = [ ./a.nix ]; };\n    };\n  };\n}\n';
    const r = addExport(parseNix(src), 'homeModules', 'b', 'nix/modules/home/b.nix');
    if (r.kind !== 'edit') throw new Error(r.kind);
    const out = applyEdits(src, r.edits);
    expect(out).toContain(
      '      a = { imports = [ ./a.nix ]; };\n      b = { imports = [ ./nix/modules/home/b.nix ]; };\n    };',
    );
    expect(addExport(parseNix(out), 'homeModules', 'b', 'nix/modules/home/b.nix').kind).toBe(
      'present',
    );
    expect(addExport(parseNix(out), 'homeModules', 'a', 'nix/modules/home/a2.nix').kind).toBe(
      'conflict',
    );
    const dotted = addExport(parseNix(src), 'nixosModules', 'n', 'nix/modules/nixos/n.nix');
    if (dotted.kind !== 'edit') throw new Error(dotted.kind);
    expect(applyEdits(src, dotted.edits)).toContain(
      '    nixosModules.n = { imports = [ ./nix/modules/nixos/n.nix ]; };\n  };',
    );
    expect(
      addExport(
        parseNix('{ outputs = i: i.fp.lib.mkFlake { } { }; }'),
        'nixosModules',
        'n',
        'x.nix',
      ).kind,
    ).toBe('conflict');
  });
});
