import { describe, expect, it } from 'vitest';
import {
  decodeWslOutput,
  parseWslList,
  parseWslStatus,
  parseWslVersion,
  saysNoDistributions,
} from '../../../src/io/host/wsl-exe.js';
import { windowsFactsFromOutputs } from '../../../src/io/host/windows.js';
import { macosFactsFromSysctl } from '../../../src/io/host/macos.js';
import { parseSysctl } from '../../../src/io/host/macos-parse.js';
import {
  binfmtSystem,
  parseOsRelease,
  wslVersionFromKernel,
} from '../../../src/io/host/linux-parse.js';
import { parseNixConfig } from '../../../src/io/host/nix-parse.js';
import { parseNixVersion } from '../../../src/io/nix.js';
import { recordedRaw } from '../../helpers/facts.js';

describe('wsl.exe output (recorded UTF-16LE)', () => {
  it('decodes UTF-16LE without a BOM, with a BOM, and plain UTF-8 (WSL_UTF8=1)', () => {
    expect(decodeWslOutput(recordedRaw('wsl-list-verbose.utf16le'))).toContain('Ubuntu-24.04');
    expect(decodeWslOutput(recordedRaw('wsl-list-bom.utf16le')).startsWith('  NAME')).toBe(true);
    expect(decodeWslOutput(recordedRaw('wsl-list-verbose.utf8'))).toContain('* Debian');
  });

  it('parses `wsl -l -v` rows with state, version and the default mark', () => {
    const distros = parseWslList(decodeWslOutput(recordedRaw('wsl-list-verbose.utf16le')));
    expect(distros).toEqual([
      { name: 'Ubuntu-24.04', state: 'Running', version: 2, isDefault: true },
      { name: 'NixOS', state: 'Stopped', version: 2, isDefault: false },
      { name: 'Legacy', state: 'Stopped', version: 1, isDefault: false },
    ]);
  });

  it('reads "no installed distributions" as an empty list', () => {
    const text = decodeWslOutput(recordedRaw('wsl-list-empty.utf16le'));
    expect(saysNoDistributions(text)).toBe(true);
    expect(parseWslList(text)).toEqual([]);
  });

  it('parses `wsl --version` of an early Store release and a 2.4 release', () => {
    expect(parseWslVersion(decodeWslOutput(recordedRaw('wsl-version-0.68.4.utf16le')))).toEqual({
      wslVersion: '0.68.4.0',
      kernelVersion: '5.15.68.1',
      windowsVersion: '10.0.22000.978',
    });
    expect(
      parseWslVersion(decodeWslOutput(recordedRaw('wsl-version-2.4.13.utf16le'))).wslVersion,
    ).toBe('2.4.13.0');
  });

  it('parses `wsl --status` default version in both layouts', () => {
    expect(parseWslStatus(decodeWslOutput(recordedRaw('wsl-status-default2.utf16le')))).toEqual({
      defaultVersion: 2,
      defaultDistro: 'Debian',
    });
    expect(
      parseWslStatus(decodeWslOutput(recordedRaw('wsl-status-default1.utf16le'))).defaultVersion,
    ).toBe(1);
  });

  it('turns the recorded outputs into WindowsFacts through the live path', () => {
    const facts = windowsFactsFromOutputs({
      version: recordedRaw('wsl-version-2.4.13.utf16le'),
      status: recordedRaw('wsl-status-default2.utf16le'),
      list: recordedRaw('wsl-list-verbose.utf16le'),
      hypervisorPresent: 'True\r\n',
    });
    expect(facts.wslVersion).toBe('2.4.13.0');
    expect(facts.defaultVersion).toBe(2);
    expect(facts.distros.map((d) => d.name)).toEqual(['Ubuntu-24.04', 'NixOS', 'Legacy']);
    expect(facts.virtualization).toBe(true);
  });
});

describe('macOS sysctl (recorded)', () => {
  it('Apple Silicon, native', () => {
    const f = macosFactsFromSysctl(parseSysctl(recordedRaw('sysctl-apple-m4.txt').toString()));
    expect(f).toEqual({
      productVersion: '15.1',
      appleSilicon: true,
      rosetta: false,
      cpuBrand: 'Apple M4',
    });
  });
  it('Apple Silicon under Rosetta', () => {
    const f = macosFactsFromSysctl(parseSysctl(recordedRaw('sysctl-apple-rosetta.txt').toString()));
    expect(f.appleSilicon && f.rosetta).toBe(true);
  });
  it('Intel Mac, where hw.optional.arm64 is unknown', () => {
    const f = macosFactsFromSysctl(parseSysctl(recordedRaw('sysctl-intel.txt').toString()));
    expect(f.appleSilicon).toBe(false);
    expect(f.rosetta).toBe(false);
    expect(f.productVersion).toBe('14.7.1');
  });
});

describe('Linux files (recorded)', () => {
  it('parses /etc/os-release with quotes', () => {
    const f = parseOsRelease(recordedRaw('os-release-nixos').toString());
    expect(f.ID).toBe('nixos');
    expect(f.PRETTY_NAME).toBe('NixOS 26.05 (Yarara)');
  });

  it.each([
    ['6.6.87.2-microsoft-standard-WSL2', 2],
    ['5.10.16.3-microsoft-standard', 2],
    ['4.4.0-19041-Microsoft', 1],
    ['6.12.41', null],
  ])('kernel %s is WSL %s', (release, expected) => {
    expect(wslVersionFromKernel(release)).toBe(expected);
  });

  it('maps binfmt entries to Nix systems by ELF machine, ignoring disabled and non-ELF ones', () => {
    expect(binfmtSystem(recordedRaw('binfmt-qemu-aarch64').toString())).toBe('aarch64-linux');
    expect(binfmtSystem(recordedRaw('binfmt-qemu-x86_64-disabled').toString())).toBeNull();
    expect(binfmtSystem(recordedRaw('binfmt-wslinterop').toString())).toBeNull();
  });
});

describe('nix configuration (recorded)', () => {
  it('reads Nix 2.8 output, whose experimental features are enum ordinals', () => {
    const c = parseNixConfig(recordedRaw('nix-2.8-show-config.json').toString());
    expect(c.experimentalFeatures.sort()).toEqual(['flakes', 'nix-command']);
    expect(c.trustedUsers).toEqual(['root']);
    expect(c.system).toBe('x86_64-linux');
  });

  it('reads newer `nix config show --json` with named features', () => {
    const c = parseNixConfig(recordedRaw('nix-2.24-config-show-darwin.json').toString());
    expect(c.experimentalFeatures).toEqual(['flakes', 'nix-command']);
    expect(c.maxJobs).toBe(10);
    expect(c.extraPlatforms).toEqual(['x86_64-darwin']);
    expect(c.sandbox).toBe('false');
  });

  it('reads versions from `nix --version`', () => {
    expect(parseNixVersion('nix (Nix) 2.8.0\n')).toBe('2.8.0');
    expect(parseNixVersion('nix (Determinate Nix 3.8.2) 2.30.1')).toBe('2.30.1');
  });
});
