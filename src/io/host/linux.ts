// Linux probes: distro, WSL generation and systemd, KVM, binfmt_misc.
import { constants } from 'node:fs';
import { access, readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { LinuxFacts, VirtFacts, WslFacts } from './facts.js';
import { binfmtSystem, parseOsRelease, wslVersionFromKernel } from './linux-parse.js';

async function readText(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return null;
  }
}

async function exists(path: string, mode = constants.F_OK): Promise<boolean> {
  try {
    await access(path, mode);
    return true;
  } catch {
    return false;
  }
}

export async function probeLinux(root = '/'): Promise<LinuxFacts> {
  const [osRelease, nixosMarker, pid1] = await Promise.all([
    readText(join(root, 'etc/os-release')).then(
      (t) => t ?? readText(join(root, 'usr/lib/os-release')),
    ),
    exists(join(root, 'etc/NIXOS')),
    readText(join(root, 'proc/1/comm')),
  ]);
  const fields = parseOsRelease(osRelease ?? '');
  return {
    distroId: fields.ID ?? null,
    distroName: fields.PRETTY_NAME ?? fields.NAME ?? null,
    distroVersion: fields.VERSION_ID ?? null,
    isNixOS: nixosMarker || fields.ID === 'nixos',
    pid1: pid1?.trim() || null,
  };
}

export async function probeWsl(
  release: string,
  env: NodeJS.ProcessEnv,
  root = '/',
): Promise<WslFacts> {
  const procVersion = (await readText(join(root, 'proc/version'))) ?? '';
  const version = wslVersionFromKernel(release, procVersion);
  const [interop, interopLate, pid1] = await Promise.all([
    exists(join(root, 'proc/sys/fs/binfmt_misc/WSLInterop')),
    exists(join(root, 'proc/sys/fs/binfmt_misc/WSLInterop-late')),
    readText(join(root, 'proc/1/comm')),
  ]);
  return {
    version,
    distroName: env.WSL_DISTRO_NAME ?? null,
    interop: interop || interopLate,
    systemd: pid1?.trim() === 'systemd',
  };
}

export async function probeVirt(root = '/'): Promise<VirtFacts> {
  const kvm = join(root, 'dev/kvm');
  const [kvmPresent, kvmUsable, intel, amd] = await Promise.all([
    exists(kvm),
    exists(kvm, constants.R_OK | constants.W_OK),
    readText(join(root, 'sys/module/kvm_intel/parameters/nested')),
    readText(join(root, 'sys/module/kvm_amd/parameters/nested')),
  ]);
  const flag = (intel ?? amd)?.trim();
  return {
    kvmPresent,
    kvmUsable,
    nested: flag === undefined ? null : flag === 'Y' || flag === '1',
  };
}

/** Foreign Nix systems this kernel runs through enabled binfmt_misc entries. */
export async function probeBinfmt(root = '/'): Promise<string[]> {
  const dir = join(root, 'proc/sys/fs/binfmt_misc');
  const names = (await readdir(dir)).filter((n) => n !== 'register' && n !== 'status');
  const systems = await Promise.all(
    names.map(async (n) => binfmtSystem((await readText(join(dir, n))) ?? '')),
  );
  return [...new Set(systems.filter((s): s is string => s !== null))].sort();
}
