import { describe, expect, it } from 'vitest';
import { needsNix, nixVersion } from '../helpers/nix.js';
import { runNix, walkFiles } from './helpers.js';

const nixFiles = ['flake.nix', ...walkFiles('nix', (f) => f.endsWith('.nix'))];

describe.skipIf(!nixVersion)(`every .nix file of the shared flake parses${needsNix}`, () => {
  it('finds the files the flake is made of', () => {
    for (const f of [
      'nix/lib/image-matrix.nix',
      'nix/modules/nixos/base.nix',
      'nix/modules/darwin/base.nix',
      'nix/modules/home/base.nix',
      'nix/shells/default.nix',
    ]) {
      expect(nixFiles).toContain(f);
    }
  });

  it.each(nixFiles)('%s', (file) => {
    const r = runNix('nix-instantiate', ['--parse', file]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('parsing also binds names: a forgotten `inherit (lib) mkIf` fails here', () => {
    // Nix resolves variables when it parses (outside `with`), so this test
    // catches undefined names in every module without evaluating nixpkgs.
    const r = runNix('nix-instantiate', [
      '--parse',
      '-E',
      '{ lib, ... }: { a = lib.mkDefault mkIf; }',
    ]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("undefined variable 'mkIf'");
  });

  it('a file with a syntax error is reported with its line (the check can fail)', () => {
    const r = runNix('nix-instantiate', ['--parse', '-E', '{ a = 1;\n b = ; }']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/syntax error/);
    expect(r.stderr).toMatch(/:2:/);
  });
});
