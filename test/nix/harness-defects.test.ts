// The harness fails on each defect of issue 23 when the old value is put
// back: a temporary copy of the flake (flake.nix, nix/, data/, templates/)
// gets the old line, and the harness entry that meets it must fail naming
// the upstream option (or file) involved.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { needsNix, nixVersion } from '../helpers/nix.js';
import { runHarness, upstreamDir } from './harness-run.js';
import { repoRoot } from './helpers.js';

interface Defect {
  name: string;
  file: string;
  /** The fixed text, and the old text that brings the defect back. */
  fixed: string;
  old: string;
  entry: string;
  error: RegExp;
}

const defects: Defect[] = [
  {
    name: '1: PermitRootLogin at mkDefault conflicts with installation-device.nix in the iso',
    file: 'nix/modules/nixos/base.nix',
    fixed: 'PermitRootLogin = lib.mkOverride 999 cfg.ssh.permitRootLogin;',
    old: 'PermitRootLogin = mkDefault cfg.ssh.permitRootLogin;',
    entry: 'packages.x86_64-linux.crossflake-nixos-iso',
    error: /services\.openssh\.settings\.PermitRootLogin' has conflicting definition values/,
  },
  {
    name: '2: raw-efi predicted as .raw',
    file: 'nix/lib/image-formats.nix',
    fixed: 'extension = "img";\n    file = inOutput "" "img";',
    old: 'extension = "raw";\n    file = inOutput "" "raw";',
    entry: 'lib.mkImages.packages.x86_64-linux.harness-matrix-raw-efi',
    error:
      /writes harness-matrix-raw-efi\.img \(nixpkgs' image\.filePath\), but the description says harness-matrix-raw-efi\.raw/,
  },
  {
    name: "3: winhome runs wslu's (missing) wslpath",
    file: 'nix/modules/home/wsl.nix',
    fixed: 'exec /bin/wslpath',
    old: 'exec ${pkgs.wslu}/bin/wslpath',
    entry: 'homeModules.wsl',
    error: /home\.packages' has a script that runs wslu\/bin\/wslpath/,
  },
  {
    name: '4: the team work-base turns GRUB off at mkDefault (BIOS images without a boot loader)',
    file: 'templates/team/modules/work-base.nix',
    fixed: '  system.stateVersion = lib.mkDefault "26.05";',
    old: '  boot.loader.grub.enable = lib.mkDefault false;\n  system.stateVersion = lib.mkDefault "26.05";',
    entry: 'templates.team.packages.x86_64-linux.example-team-work-base-qcow2',
    error: /boot\.loader\.grub\.enable' is false/,
  },
  {
    name: '5: qcow2 (legacy BIOS) built for aarch64-linux',
    file: 'nix/lib/image-formats.nix',
    fixed: 'variantOn.aarch64-linux = "qemu-efi";',
    old: '',
    entry: 'lib.mkImages.packages.aarch64-linux.harness-matrix-qcow2',
    error: /image\.efiSupport' false.*aarch64-linux, which has no BIOS/,
  },
  {
    name: "likely: VM host names with '_'",
    file: 'nix/lib/mk-generic-vm.nix',
    fixed: 'builtins.replaceStrings [ "_" ] [ "-" ] arch',
    old: 'arch',
    entry: 'nixosConfigurations.generic-vm-headless-x86_64',
    error: /networking\.hostName' is "generic-vm-headless-x86_64"/,
  },
  {
    name: 'likely: the team WSL configuration inherits fileSystems."/"',
    file: 'templates/team/modules/work-base.nix',
    fixed: '  system.stateVersion = lib.mkDefault "26.05";',
    old: '  fileSystems."/" = lib.mkDefault {\n    device = "/dev/disk/by-label/nixos";\n    fsType = "ext4";\n  };\n  system.stateVersion = lib.mkDefault "26.05";',
    entry: 'templates.team.templates.colleague.nixosConfigurations.nixos',
    error: /fileSystems\."\/"' is set .* in a NixOS-WSL configuration/,
  },
];

describe.skipIf(!nixVersion || !existsSync(upstreamDir))(
  `the harness catches each old defect${needsNix}`,
  () => {
    let base: string;

    beforeAll(() => {
      base = mkdtempSync(path.join(os.tmpdir(), 'crossflake-defects-'));
    });
    afterAll(() => rmSync(base, { recursive: true, force: true }));

    it.each(defects)(
      '$name',
      async (defect) => {
        const dir = mkdtempSync(path.join(base, 'copy-'));
        for (const entry of ['flake.nix', 'flake.lock', 'nix', 'data', 'templates']) {
          cpSync(path.join(repoRoot, entry), path.join(dir, entry), { recursive: true });
        }
        const file = path.join(dir, defect.file);
        const text = readFileSync(file, 'utf8');
        // The fixed text is there: the test puts back exactly the old value.
        expect(text).toContain(defect.fixed);
        writeFileSync(
          file,
          text.replace(defect.fixed, defect.fixed.replace(defect.fixed, defect.old)),
        );
        const result = await runHarness(dir, [defect.entry]);
        expect(Object.keys(result.entries)).toEqual([]);
        expect(result.failures[defect.entry]).toMatch(defect.error);
      },
      300_000,
    );
  },
);
