// The offline evaluation harness (test/nix/harness): every output of the
// flake and every configuration the templates make, evaluated with the real
// nixpkgs lib and the real home-manager, nix-darwin and NixOS-WSL trees in
// ../shared/upstream, nixpkgs' NixOS modules as transcriptions and a stub
// pkgs. It prints one line per output (option paths checked against real
// declarations, against transcriptions, crossflake's own, and stubbed).
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { needsNix, nixVersion } from '../helpers/nix.js';
import { type HarnessResult, runHarness, upstreamDir } from './harness-run.js';
import { repoRoot, runNix, scratchFlake } from './helpers.js';

const hasUpstream = existsSync(upstreamDir);
const skipNote = hasUpstream ? needsNix : ' (skipped: ../shared/upstream is missing)';

interface Exported {
  nixosModules: string[];
  darwinModules: string[];
  homeModules: string[];
  homeManagerModules: string[];
  nixosConfigurations: string[];
  packages: Record<string, string[]>;
  templates: string[];
}

/** The flake's export names, read from the real flake (not from the harness). */
function exportedNames(): Exported {
  const flake = scratchFlake();
  try {
    const names = 'builtins.attrNames';
    const expr = `let f = builtins.getFlake "path:${flake.dir}"; in {
      nixosModules = ${names} f.nixosModules;
      darwinModules = ${names} f.darwinModules;
      homeModules = ${names} f.homeModules;
      homeManagerModules = ${names} f.homeManagerModules;
      nixosConfigurations = ${names} f.nixosConfigurations;
      packages = builtins.mapAttrs (s: v: ${names} v) f.packages;
      templates = ${names} (import ${repoRoot}/nix/templates.nix);
    }`;
    const r = runNix('nix', ['eval', '--impure', '--offline', '--json', '--expr', expr]);
    if (r.code !== 0) throw new Error(r.stderr);
    return JSON.parse(r.stdout) as Exported;
  } finally {
    flake.cleanup();
  }
}

function summaryLine(name: string, s: HarnessResult['entries'][string]): string {
  const n = (xs: string[] | undefined): string => String(xs?.length ?? 0).padStart(3);
  return `${name.padEnd(92)} ${s.class.padEnd(7)} real ${n(s.real)}  transcribed ${n(s.transcribed)}  own ${n(s.own)}  stubbed ${n(s.stubbed)}`;
}

describe.skipIf(!nixVersion || !hasUpstream)(`the offline evaluation harness${skipNote}`, () => {
  let result: HarnessResult;
  let exported: Exported;
  let seconds = 0;

  beforeAll(async () => {
    const start = Date.now();
    result = await runHarness(repoRoot);
    seconds = (Date.now() - start) / 1000;
    exported = exportedNames();
  }, 600_000);

  afterAll(() => {
    if (!result) return;
    const lines = Object.entries(result.entries).map(([name, s]) => summaryLine(name, s));
    for (const [name, message] of Object.entries(result.failures)) {
      lines.push(`${name.padEnd(92)} FAILED: ${message.split('\n')[0]}`);
    }
    console.log(`harness: ${lines.length} outputs in ${seconds.toFixed(1)} s\n${lines.join('\n')}`);
  });

  it('evaluates every output without conflicts, undeclared options, type errors, failed assertions or a wrong image file', () => {
    expect(result.failures).toEqual({});
  });

  it('has an entry for every exported module, configuration and package', () => {
    const names = new Set([...Object.keys(result.entries), ...Object.keys(result.failures)]);
    const want = [
      ...exported.nixosModules.map((n) => `nixosModules.${n}`),
      ...exported.darwinModules.map((n) => `darwinModules.${n}`),
      ...exported.homeModules.map((n) => `homeModules.${n}`),
      ...exported.homeManagerModules.map((n) => `homeManagerModules.${n}`),
      ...exported.nixosConfigurations.map((n) => `nixosConfigurations.${n}`),
      ...Object.entries(exported.packages).flatMap(([system, pkgs]) =>
        pkgs.map((p) => `packages.${system}.${p}`),
      ),
    ];
    expect(want.filter((n) => !names.has(n))).toEqual([]);
    // Every template makes at least one configuration or package entry, and
    // lib.mkImages is evaluated for every format it offers.
    for (const t of exported.templates)
      expect([...names].some((n) => n.startsWith(`templates.${t}.`))).toBe(true);
    const formats = new Set(
      [...names]
        .filter((n) => n.startsWith('lib.mkImages.'))
        .map((n) => n.replace(/.*harness-matrix-/, '')),
    );
    expect([...formats].sort()).toEqual([
      'docker',
      'iso',
      'qcow2',
      'qcow2-efi',
      'raw-efi',
      'sd-card',
      'virtualbox',
      'vmware',
      'wsl',
    ]);
    expect(Object.keys(result.data).sort()).toEqual([
      'apps',
      'crossflake.images',
      'devShells',
      'formatter',
      'lib',
      'templates',
    ]);
  });

  it('checks each module class against the declarations it really meets', () => {
    const e = result.entries;
    // NixOS-WSL's real modules declare wsl.*; nixpkgs' NixOS options are transcriptions.
    expect(e['nixosModules.wsl']?.real).toEqual(
      expect.arrayContaining(['wsl.defaultUser', 'wsl.wslConf']),
    );
    expect(e['nixosModules.base']?.transcribed).toEqual(
      expect.arrayContaining(['services.openssh.settings', 'users.users', 'networking.hostName']),
    );
    // What neither covers is recorded, not silently accepted.
    expect(e['nixosModules.base']?.stubbed).toEqual(
      expect.arrayContaining(['time.timeZone', 'nix.gc.automatic']),
    );
    // home-manager's and nix-darwin's real module lists.
    expect(e['homeModules.base']?.real).toEqual(
      expect.arrayContaining(['programs.git.settings', 'home.packages']),
    );
    expect(e['homeModules.base']?.stubbed).toEqual([]);
    expect(e['darwinModules.base']?.real).toEqual(
      expect.arrayContaining([
        'system.primaryUser',
        'security.pam.services.sudo_local.touchIdAuth',
      ]),
    );
    // Image entries compare nixpkgs' file with the description's.
    const raw = e['lib.mkImages.packages.x86_64-linux.harness-matrix-raw-efi'];
    expect(raw?.framework).toBe(raw?.file);
    expect(raw?.file).toBe('harness-matrix-raw-efi.img');
  });

  it('records the values crossflake decides: host names, the WSL image /etc/nixos, the GPU integration, VM runners', () => {
    const e = result.entries;
    const facts = (name: string): Record<string, unknown> =>
      (e[name]?.facts ?? {}) as Record<string, unknown>;
    // Attribute names keep x86_64; host names may not have '_'.
    expect(facts('nixosConfigurations.generic-vm-headless-x86_64').hostName).toBe(
      'generic-vm-headless-x86-64',
    );
    // The WSL images ship a configuration.nix that refuses a non-flake rebuild.
    for (const name of Object.keys(e).filter((n) => n.endsWith('-wsl'))) {
      expect(String(facts(name).wslTarballConfigPath)).toMatch(/nix\/lib\/wsl-etc-nixos$/);
      expect(facts(name).rootFileSystem).toBeNull();
    }
    expect(facts('homeModules.linux').genericLinuxGpu).toBe(false);
    expect(facts('templates.wsl-home.homeConfigurations.crossflake-user').genericLinuxGpu).toBe(
      false,
    );
    // The aarch64 VMs' runners are built for the Mac (mkGenericVm's hostSystem).
    expect(e['nixosConfigurations.generic-vm-headless-aarch64']?.runnerSystem).toBe(
      'aarch64-darwin',
    );
    expect(e['nixosConfigurations.generic-vm-headless-x86_64']?.runnerSystem).toBe('x86_64-linux');
  });
});
