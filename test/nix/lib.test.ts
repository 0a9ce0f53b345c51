// The pure half of nix/lib evaluated with nix-instantiate, offline and
// without nixpkgs: what the CLI and CI rely on before anything is built.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { needsNix, nixVersion } from '../helpers/nix.js';
import { evalPure, evalPureJson, nixPath } from './helpers.js';

const matrix = `import ${nixPath('nix/lib/image-matrix.nix')} args`;

interface Image {
  name: string;
  format: string;
  system: string;
  attr: string;
  kind: 'derivation' | 'root-program';
  file: string | null;
  extension: string;
}

describe.skipIf(!nixVersion)(`nix/lib without nixpkgs${needsNix}`, () => {
  it('lib.platforms is data/platforms.json, value for value', () => {
    const fromNix = evalPureJson<unknown>(`(import ${nixPath('nix/lib')} { }).platforms`);
    const fromJson: unknown = JSON.parse(readFileSync(nixPath('data/platforms.json'), 'utf8'));
    expect(fromNix).toEqual(fromJson);
  });

  it('lib.systems lists the nix systems of the matrix rows, Linux and Darwin apart', () => {
    const systems = evalPureJson<Record<string, string[]>>(
      `(import ${nixPath('nix/lib')} { }).systems`,
    );
    expect(systems).toEqual({
      all: ['x86_64-linux', 'aarch64-linux', 'aarch64-darwin', 'x86_64-darwin'],
      linux: ['x86_64-linux', 'aarch64-linux'],
      darwin: ['aarch64-darwin', 'x86_64-darwin'],
    });
  });

  it('describes a sample matrix: names, attributes, kinds, files and extensions', () => {
    const images = evalPureJson<Image[]>(matrix, {
      name: 'company-nixos',
      formats: ['wsl', 'qcow2', 'iso', 'sd-card', 'virtualbox', 'docker'],
      systems: ['x86_64-linux', 'aarch64-linux'],
      version: '2026.11',
    });
    const x86 = 'x86_64-linux';
    const arm = 'aarch64-linux';
    const img = (
      system: string,
      format: string,
      kind: Image['kind'],
      file: string | null,
      extension: string,
    ): Image => ({
      name: 'company-nixos',
      format,
      system,
      attr: `packages.${system}.company-nixos-${format}`,
      kind,
      file,
      extension,
    });
    expect(images).toEqual([
      img(x86, 'wsl', 'root-program', 'bin/nixos-wsl-tarball-builder', 'wsl'),
      img(x86, 'qcow2', 'derivation', 'company-nixos-qcow2.qcow2', 'qcow2'),
      img(x86, 'iso', 'derivation', 'iso/company-nixos-iso.iso', 'iso'),
      // sd-card is aarch64 only: left out on x86_64.
      img(x86, 'virtualbox', 'derivation', 'company-nixos-virtualbox.ova', 'ova'),
      img(x86, 'docker', 'derivation', null, 'tar.gz'),
      img(arm, 'wsl', 'root-program', 'bin/nixos-wsl-tarball-builder', 'wsl'),
      // qcow2 on aarch64 is built from the UEFI variant (no BIOS there).
      img(arm, 'qcow2', 'derivation', 'company-nixos-qcow2.qcow2', 'qcow2'),
      img(arm, 'iso', 'derivation', 'iso/company-nixos-iso.iso', 'iso'),
      img(arm, 'sd-card', 'derivation', 'sd-image/company-nixos-sd-card.img.zst', 'img.zst'),
      // virtualbox is x86_64 only: left out on aarch64.
      img(arm, 'docker', 'derivation', null, 'tar.gz'),
    ]);
  });

  it('every known format has a description entry of the documented shape', () => {
    const images = evalPureJson<Image[]>(matrix, {
      name: 'all',
      formats: ['wsl', 'qcow2', 'qcow2-efi', 'raw-efi', 'iso', 'virtualbox', 'vmware', 'docker'],
      systems: ['x86_64-linux'],
    });
    expect(images.map((i) => [i.format, i.extension])).toEqual([
      ['wsl', 'wsl'],
      ['qcow2', 'qcow2'],
      ['qcow2-efi', 'qcow2'],
      ['raw-efi', 'img'],
      ['iso', 'iso'],
      ['virtualbox', 'ova'],
      ['vmware', 'vmdk'],
      ['docker', 'tar.gz'],
    ]);
    for (const i of images) {
      expect(Object.keys(i).sort()).toEqual(
        ['attr', 'extension', 'file', 'format', 'kind', 'name', 'system'].sort(),
      );
    }
  });

  it('repeated formats and systems appear once, in the caller order', () => {
    const images = evalPureJson<Image[]>(matrix, {
      name: 'n',
      formats: ['docker', 'qcow2-efi', 'docker'],
      systems: ['aarch64-linux', 'aarch64-linux'],
    });
    expect(images.map((i) => i.attr)).toEqual([
      'packages.aarch64-linux.n-docker',
      'packages.aarch64-linux.n-qcow2-efi',
    ]);
  });

  it('an unknown format is an evaluation error that lists the valid ones', () => {
    const r = evalPure(matrix, { name: 'n', formats: ['qcow'], systems: ['x86_64-linux'] });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('unknown format "qcow"');
    expect(r.stderr).toContain(
      'valid formats: docker, iso, qcow2, qcow2-efi, raw-efi, sd-card, virtualbox, vmware, wsl',
    );
  });

  it('an unknown system is an error that lists the valid ones', () => {
    const r = evalPure(matrix, { name: 'n', formats: ['iso'], systems: ['aarch64-darwin'] });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(
      'unknown system "aarch64-darwin"; valid systems: x86_64-linux, aarch64-linux',
    );
  });

  it('a format none of the systems can build is an error naming what it supports', () => {
    const r = evalPure(matrix, { name: 'n', formats: ['sd-card'], systems: ['x86_64-linux'] });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(
      'format "sd-card" cannot be built for x86_64-linux; it supports aarch64-linux',
    );
  });

  it.each([
    ['../escape', 'must start with a letter or digit'],
    ['has space', 'must start with a letter or digit'],
  ])('rejects the image name %j', (name, message) => {
    const r = evalPure(matrix, { name, formats: ['iso'], systems: ['x86_64-linux'] });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(message);
  });

  it('an empty format list is an error, not an empty matrix', () => {
    const r = evalPure(matrix, { name: 'n', formats: [], systems: ['x86_64-linux'] });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('formats must be a non-empty list');
  });

  it('lib.imageMatrix is the same function the flake exports', () => {
    const args = { name: 'n', formats: ['wsl'], systems: ['x86_64-linux'] };
    const viaLib = evalPureJson<Image[]>(
      `(import ${nixPath('nix/lib')} { }).imageMatrix args`,
      args,
    );
    expect(viaLib).toEqual(evalPureJson<Image[]>(matrix, args));
  });

  it('mkImages needs nixpkgs only when its packages are used', () => {
    // The description comes out of mkImages without nixpkgs; asking for a
    // package fails with the library's own message.
    const lib = `(import ${nixPath('nix/lib')} { })`;
    const call = `${lib}.mkImages { name = "n"; configuration = [ ]; formats = [ "iso" ]; systems = [ "x86_64-linux" ]; }`;
    expect(evalPureJson<Image[]>(`(${call}).images`)).toHaveLength(1);
    expect(evalPureJson<string[]>(`builtins.attrNames (${call}).packages.x86_64-linux`)).toEqual([
      'n-iso',
    ]);
    const r = evalPure(`(${call}).packages.x86_64-linux.n-iso`);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('need nixpkgs');
  });
});
