// Which accelerator QEMU gets for a guest on this host, from HostFacts and the
// support matrix alone (pure, so every row and every broken host is testable
// on recorded facts). The runner script NixOS builds already asks QEMU for
// `accel=kvm:tcg` (or hvf on macOS); this decision says what the user will
// really get, warns before a slow emulated boot, and refuses what cannot run.
import { known } from '../io/host/facts.js';
import type { VmHostFacts } from '../io/host/vm-facts.js';
import { hardwareArch, matchRow } from '../platforms/index.js';

export type Accelerator = 'kvm' | 'nested-kvm' | 'hvf' | 'tcg';

export interface AccelChoice {
  /** null: this host cannot run the guest at all (see `reason`). */
  accelerator: Accelerator | null;
  /** Guest CPU = host CPU (hardware speed when accelerated). */
  native: boolean;
  reason: string;
  /** Shown before booting: slowness to expect, or how to get the accelerator. */
  warning: string | null;
}

const EMULATED = 'emulated CPU (QEMU TCG): expect 10-50x slower than native';

function guestArch(system: string): string {
  return system.split('-')[0] ?? system;
}

export function chooseAccelerator(facts: VmHostFacts, guestSystem: string): AccelChoice {
  if (!guestSystem.endsWith('-linux')) {
    return none(`${guestSystem} is not a NixOS guest system (x86_64-linux or aarch64-linux)`);
  }
  const { row, reason } = matchRow(facts);
  if (facts.os.kernel === 'windows') {
    return none('VMs run inside WSL2, not from Windows itself: run this in your WSL distro');
  }
  if (!row) return none(reason ?? 'no row of the support matrix covers this host');
  const native = guestArch(guestSystem) === hardwareArch(facts);
  if (facts.os.kernel === 'darwin') return darwin(facts, guestSystem, native);
  return linux(facts, native, row.vm.accelerator === 'nested-wsl2');
}

function linux(facts: VmHostFacts, native: boolean, wsl: boolean): AccelChoice {
  if (!native) {
    return {
      accelerator: 'tcg',
      native,
      reason: 'the guest CPU differs from the host',
      warning: EMULATED,
    };
  }
  const virt = known(facts.virt);
  if (virt?.kvmUsable) {
    return wsl
      ? { accelerator: 'nested-kvm', native, reason: 'KVM nested inside WSL2', warning: null }
      : { accelerator: 'kvm', native, reason: '/dev/kvm is usable', warning: null };
  }
  const fix = wsl
    ? 'turn on nested virtualization (.wslconfig: [wsl2] nestedVirtualization=true, then wsl --shutdown)'
    : virt?.kvmPresent
      ? 'add yourself to the kvm group (sudo usermod -aG kvm $USER) and log in again'
      : 'enable virtualization (VT-x/AMD-V) in the firmware and load kvm_intel or kvm_amd';
  return {
    accelerator: 'tcg',
    native,
    reason: wsl ? 'WSL2 without nested virtualization' : 'no usable /dev/kvm',
    warning: `${EMULATED}; to accelerate, ${fix}`,
  };
}

function darwin(facts: VmHostFacts, guestSystem: string, native: boolean): AccelChoice {
  const macos = known(facts.macos);
  if (macos?.rosetta) {
    return {
      accelerator: 'tcg',
      native: false,
      reason: 'this shell runs under Rosetta 2, so QEMU would be the x86_64 build',
      warning: `${EMULATED}; open a native (arm64) terminal to use Hypervisor.framework`,
    };
  }
  if (!native) {
    return {
      accelerator: 'tcg',
      native,
      reason: `${guestSystem} on a ${hardwareArch(facts)} Mac is emulated`,
      warning: EMULATED,
    };
  }
  return { accelerator: 'hvf', native, reason: 'Hypervisor.framework', warning: null };
}

function none(reason: string): AccelChoice {
  return { accelerator: null, native: false, reason, warning: null };
}
