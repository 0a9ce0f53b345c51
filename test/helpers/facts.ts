// Loads the recorded HostFacts and raw program outputs under test/fixtures/host.
import { readFileSync } from 'node:fs';
import type { HostFacts, NixFacts } from '../../src/io/host/facts.js';
import { validateFacts } from '../../src/io/host/facts-file.js';
import { classifyInstall, type InstallEvidence } from '../../src/io/host/nix-install-parse.js';
import { parseNixVersion } from '../../src/io/nix.js';

export const hostFixtures = 'test/fixtures/host';

export function recordedFacts(name: string): HostFacts {
  return JSON.parse(readFileSync(`${hostFixtures}/facts/${name}.json`, 'utf8')) as HostFacts;
}

export function recordedRaw(name: string): Buffer {
  return readFileSync(`${hostFixtures}/raw/${name}`);
}

export const installFixtures = `${hostFixtures}/install`;

/** Probe evidence of one install method, recorded (see test/fixtures/host/README.md). */
export const installEvidence = (name: string): InstallEvidence =>
  JSON.parse(readFileSync(`${installFixtures}/${name}.json`, 'utf8')) as InstallEvidence;

/** A recorded host of the right OS, with the Nix this evidence describes. */
export function hostWithInstall(name: string): HostFacts {
  const e = installEvidence(name);
  const base = recordedFacts(
    name.startsWith('darwin')
      ? 'darwin-aarch64'
      : name.startsWith('wsl')
        ? 'wsl2-x86_64'
        : 'linux-aarch64',
  );
  const isNixOS = e.isNixOS;
  const nix = base.nix as NixFacts;
  const facts: HostFacts = {
    ...base,
    linux:
      base.os.kernel === 'linux'
        ? {
            distroId: e.distroId,
            distroName: e.distroId,
            distroVersion: null,
            isNixOS,
            pid1: 'systemd',
          }
        : base.linux,
    nix: {
      ...nix,
      version: parseNixVersion(e.versionText ?? ''),
      path: e.nixPath,
      mode: e.mode,
      install: classifyInstall(e),
    },
  };
  // What doctor --save-facts writes must read back through doctor --facts.
  return validateFacts(JSON.parse(JSON.stringify(facts)), name);
}
