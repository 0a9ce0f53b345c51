// The environment NixOS's VM runner script (`result/bin/run-<name>-vm`) reads,
// as written in nixpkgs' nixos/modules/virtualisation/qemu-vm.nix (commit
// 00008e8e): NIX_DISK_IMAGE (the root disk, made when missing), TMPDIR with
// USE_TMPDIR (its scratch folder), QEMU_NET_OPTS (appended to the user-mode
// `-netdev`, where `hostfwd=` goes), QEMU_KERNEL_PARAMS (appended to the
// kernel command line) and QEMU_OPTS (extra QEMU arguments). Driving the
// script through them keeps NixOS's own QEMU command line intact.
import { join } from 'node:path';

export interface RunnerSetup {
  name: string;
  guestSystem: string;
  /** Folder for the disk image, scratch files and the QMP socket. */
  stateDir: string;
  /** Free host port forwarded to the guest's SSH (22); null: none. */
  sshPort: number | null;
  gui: boolean;
}

/** The serial console QEMU's first serial port is inside the guest. */
export function serialConsole(guestSystem: string): string {
  return guestSystem.startsWith('aarch64') ? 'ttyAMA0' : 'ttyS0';
}

export function qmpSocket(stateDir: string): string {
  return join(stateDir, 'qmp.sock');
}

export function runnerEnv(setup: RunnerSetup): Record<string, string> {
  const opts = [`-qmp unix:${qmpSocket(setup.stateDir)},server=on,wait=off`];
  if (!setup.gui) opts.push('-nographic');
  return {
    NIX_DISK_IMAGE: join(setup.stateDir, `${setup.name}.qcow2`),
    TMPDIR: setup.stateDir,
    USE_TMPDIR: '1',
    QEMU_NET_OPTS: setup.sshPort === null ? '' : `hostfwd=tcp:127.0.0.1:${setup.sshPort}-:22`,
    // The last console= wins as /dev/console: the serial one, where the boot
    // marker and the shell are.
    QEMU_KERNEL_PARAMS: setup.gui ? '' : `console=${serialConsole(setup.guestSystem)}`,
    QEMU_OPTS: opts.join(' '),
  };
}
