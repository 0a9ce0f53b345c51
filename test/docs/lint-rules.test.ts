import { describe, expect, it } from 'vitest';
import { lintMarkdown } from '../../src/docs/lint.js';
import type { ExportsModel } from '../../src/docs/model.js';
import { nearest } from '../../src/docs/nearest.js';
import { bindingText, fileDescription, relativePaths } from '../../src/docs/describe.js';

const entry = (name: string) => ({ name, description: '', source: null });
const exports: ExportsModel = {
  groups: {
    nixosModules: ['base', 'wsl', 'vm'].map(entry),
    darwinModules: ['base'].map(entry),
    homeModules: ['base', 'wsl'].map(entry),
    homeManagerModules: ['wsl-home-base', 'darwin-home-base', 'base'].map(entry),
    nixosConfigurations: ['generic-vm-headless-x86_64'].map(entry),
    darwinConfigurations: [],
    homeConfigurations: [],
  },
  devShells: [
    { name: 'python', systems: ['x86_64-linux', 'aarch64-darwin'], description: '', source: null },
  ],
  packages: [],
  templates: ['darwin', 'team'].map(entry),
  images: [],
};
const paths = new Set([
  'nix',
  'nix/modules',
  'nix/modules/nixos',
  'nix/modules/nixos/base.nix',
  'docs',
  'README.md',
]);
const lint = (text: string) => lintMarkdown('doc.md', text, exports, paths);

describe('docs lint rules on Markdown text', () => {
  it('flags homeManagerModules.wsl-base and suggests wsl-home-base', () => {
    const [f] = lint('Use `homeManagerModules.wsl-base` here.');
    expect(f).toMatchObject({
      rule: 'flake-ref',
      line: 1,
      column: 6,
      text: 'homeManagerModules.wsl-base',
    });
    expect(f?.suggestion).toBe('wsl-home-base');
  });

  it('passes real exports, including through self and crossflake', () => {
    expect(
      lint('`nixosModules.wsl`, `self.homeModules.base`, `inputs.crossflake.darwinModules.base`'),
    ).toEqual([]);
  });

  it("ignores another flake's exports and brace patterns", () => {
    expect(
      lint('`home-manager.nixosModules.home-manager` and `nixosConfigurations.vm-{a,b}`'),
    ).toEqual([]);
  });

  it('checks devShells per system', () => {
    const [f] = lint('`devShells.aarch64-linux.python`');
    expect(f?.message).toContain('not exported for aarch64-linux');
    expect(lint('`devShells.aarch64-darwin.python`')).toEqual([]);
    expect(lint('`devShells.x86_64-linux.pyton`')[0]?.suggestion).toBe('python');
  });

  it('checks .#name in commands but not in JSON examples of other repos', () => {
    expect(lint('```sh\nnix develop .#pyhton\n```')[0]).toMatchObject({
      line: 2,
      suggestion: 'python',
    });
    expect(lint('```json\n{ "run": "nix run .#lint" }\n```')).toEqual([]);
    expect(lint('nix develop .#python, or `.#<host>`')).toEqual([]);
  });

  it('checks templates#name and -t flake#name', () => {
    expect(lint('`nix flake init -t crossflake#darwn`')[0]?.suggestion).toBe('darwin');
    expect(lint('see templates#team')).toEqual([]);
  });

  it('flags a missing repository path and suggests the nearest', () => {
    const [f] = lint('See `nix/modules/nixos/bse.nix` and `nix/modules/nixos/base.nix`.');
    expect(f).toMatchObject({
      rule: 'repo-path',
      text: 'nix/modules/nixos/bse.nix',
      suggestion: 'nix/modules/nixos/base.nix',
    });
  });

  it('leaves paths of other repositories and placeholders alone', () => {
    expect(
      lint('`.github/workflows/ci.yml`, `dist/<version>/x`, `src/foo.ts`, `https://x.y/z`'),
    ).toEqual([]);
  });

  it('flags a stated count that does not match the code', () => {
    const found = lint('We export 57 modules, two NixOS modules and 2 templates.');
    expect(found.map((f) => f.text)).toEqual(['57 modules', 'two NixOS modules']);
    expect(found[0]?.message).toContain('exports 6');
  });

  it('does not read figures of speech as counts', () => {
    expect(lint('One configuration, one template, 1 image.')).toEqual([]);
    expect(lint('```\n99 modules\n```')).toEqual([]);
  });
});

describe('nearest name', () => {
  it('prefers shared words over raw edit distance', () => {
    expect(nearest('wsl-base', ['base', 'wsl-home-base', 'darwin-home-base'])).toBe(
      'wsl-home-base',
    );
  });
  it('offers nothing when nothing is close', () => {
    expect(nearest('zzz', ['python', 'rust'])).toBeNull();
  });
});

describe('descriptions from the Nix code', () => {
  it('reads the binding up to its semicolon', () => {
    const src = 'x = 1;\nbase = mk {\n  a = ./a.nix;\n};\nnext = 2;\n';
    expect(bindingText(src, 2)).toBe('base = mk {\n  a = ./a.nix;\n};');
    expect(relativePaths(bindingText(src, 2))).toEqual(['./a.nix']);
  });
  it("uses a file's header comment, else its description attribute", () => {
    expect(fileDescription('# The base. More words.\n{ }')).toBe('The base.');
    expect(fileDescription('{ description = "Python \\"3\\" shell"; }')).toBe('Python "3" shell');
  });
});
