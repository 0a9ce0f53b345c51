// A tiny real Linux for the `crossflake vm` tests: Debian's own kernel
// (linux-image-amd64) and an initramfs made here from busybox-static, whose
// init (busybox's) prints the boot marker, offers a root shell on ttyS0 and
// powers off on request. A runner
// script stands in for NixOS's `run-<name>-vm`, reading the same environment
// (NIX_DISK_IMAGE, TMPDIR, QEMU_OPTS, QEMU_KERNEL_PARAMS, QEMU_NET_OPTS), and
// a fixture flake exposes it as nixosConfigurations.<name>.config.system.build.vm.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';

function which(cmd: string): string | null {
  try {
    return (
      execFileSync('sh', ['-c', 'command -v "$1"', 'sh', cmd], { encoding: 'utf8' }).trim() || null
    );
  } catch {
    return null;
  }
}

function kernelPath(): string | null {
  try {
    const found = readdirSync('/boot')
      .filter((f) => f.startsWith('vmlinuz-'))
      .sort();
    return found.length ? join('/boot', found[found.length - 1]!) : null;
  } catch {
    return null;
  }
}

export const qemuBin = which('qemu-system-x86_64');
export const busyboxBin = which('busybox');
export const kernel = kernelPath();

/** Suffix for test names: why the VM tests cannot run here (shown, never a silent pass). */
export const needsQemu =
  qemuBin && busyboxBin && kernel
    ? ''
    : ` (skipped: needs qemu-system-x86, busybox-static and linux-image-amd64; .ci/run installs them)`;

interface Entry {
  name: string;
  mode: number;
  data?: Buffer;
  rdev?: [number, number];
}

// The cpio "newc" format the kernel unpacks an initramfs from: a 110-byte
// ASCII header of 8-digit hex fields, the name, then the data, each padded
// to 4 bytes; "TRAILER!!!" ends it.
function newc(entries: Entry[]): Buffer {
  const parts: Buffer[] = [];
  const pad = (n: number) => Buffer.alloc((4 - (n % 4)) % 4);
  const hex = (n: number) => n.toString(16).padStart(8, '0');
  [...entries, { name: 'TRAILER!!!', mode: 0 }].forEach((e, i) => {
    const data = e.data ?? Buffer.alloc(0);
    const name = Buffer.from(`${e.name}\0`);
    const fields = [
      i + 1,
      e.mode,
      0,
      0,
      1,
      0,
      data.length,
      0,
      0,
      e.rdev?.[0] ?? 0,
      e.rdev?.[1] ?? 0,
      name.length,
      0,
    ];
    const header = Buffer.from(`070701${fields.map(hex).join('')}`);
    parts.push(header, name, pad(header.length + name.length), data, pad(data.length));
  });
  return Buffer.concat(parts);
}

export type InitMode = 'good' | 'silent';

// Busybox's own init reads /etc/inittab: the start-up script, a root shell
// respawned on the serial console, and `poweroff` handled like any init does.
function inittab(mode: InitMode): string {
  const shell = mode === 'good' ? 'ttyS0::respawn:/bin/sh -l' : '::respawn:/bin/sleep 1000000';
  return ['::sysinit:/etc/rc', shell, '::shutdown:/bin/umount -a -r', ''].join('\n');
}

function rc(mode: InitMode): string {
  return [
    '#!/bin/busybox sh',
    '/bin/busybox mount -t proc proc /proc',
    '/bin/busybox mount -t sysfs sys /sys',
    '/bin/busybox mount -t devtmpfs dev /dev',
    '/bin/busybox --install -s /bin',
    // 'silent' never reaches the marker: the test of the boot timeout.
    ...(mode === 'good' ? ['echo "crossflake-vm: ready"'] : []),
    '',
  ].join('\n');
}

export function makeInitramfs(path: string, mode: InitMode): void {
  const S_IFDIR = 0o040000;
  const S_IFREG = 0o100000;
  const S_IFCHR = 0o020000;
  const S_IFLNK = 0o120000;
  const entries: Entry[] = [
    ...['bin', 'dev', 'etc', 'proc', 'sys', 'root'].map((name) => ({
      name,
      mode: S_IFDIR | 0o755,
    })),
    { name: 'dev/console', mode: S_IFCHR | 0o600, rdev: [5, 1] },
    { name: 'bin/busybox', mode: S_IFREG | 0o755, data: readFileSync(busyboxBin!) },
    // The kernel runs /init; busybox picks its applet from that name.
    { name: 'init', mode: S_IFLNK | 0o777, data: Buffer.from('bin/busybox') },
    { name: 'etc/inittab', mode: S_IFREG | 0o644, data: Buffer.from(inittab(mode)) },
    { name: 'etc/rc', mode: S_IFREG | 0o755, data: Buffer.from(rc(mode)) },
  ];
  writeFileSync(path, newc(entries));
}

/** The stand-in for NixOS's runner; it records its pid and environment in `recordDir`. */
export function runnerScript(initrd: string, recordDir: string): string {
  return `#!/bin/sh
# Stand-in for NixOS's run-<name>-vm (nixos/modules/virtualisation/qemu-vm.nix):
# the same environment variables, QEMU exec'd so its pid is this script's.
echo $$ >> ${recordDir}/pids
env | grep -E '^(NIX_DISK_IMAGE|TMPDIR|USE_TMPDIR|QEMU_OPTS|QEMU_KERNEL_PARAMS|QEMU_NET_OPTS)=' > ${recordDir}/env.$$
NIX_DISK_IMAGE=\${NIX_DISK_IMAGE:-./tiny.qcow2}
test -e "$NIX_DISK_IMAGE" || : > "$NIX_DISK_IMAGE"
cd "$TMPDIR"
exec ${qemuBin} -name tiny -m 256 -smp 1 -no-reboot -nographic \\
  -kernel ${kernel} -initrd ${initrd} \\
  -append "quiet panic=-1 console=ttyS0 $QEMU_KERNEL_PARAMS" \\
  -netdev user,id=user.0,"$QEMU_NET_OPTS" -device virtio-net-pci,netdev=user.0,romfile= \\
  $QEMU_OPTS "$@"
`;
}

export interface TinyFlake {
  dir: string;
  recordDir: string;
  pids(): number[];
  envOf(pid: number): Record<string, string>;
}

/**
 * A flake with nixosConfigurations `tiny` (boots and answers), `mute` (never
 * prints the marker), `arm` (an aarch64 guest) and `novm` (no runner); with
 * `broken`, also `broken`, which throws when evaluated.
 */
export function makeTinyFlake(root: string, options: { broken?: boolean } = {}): TinyFlake {
  const dir = join(root, 'flake');
  const recordDir = join(root, 'record');
  mkdirSync(dir, { recursive: true });
  mkdirSync(recordDir, { recursive: true });
  for (const mode of ['good', 'silent'] as const) {
    const initrd = join(root, `initrd-${mode}.cpio`);
    makeInitramfs(initrd, mode);
    writeFileSync(join(dir, `run-${mode}`), runnerScript(initrd, recordDir));
  }
  writeFileSync(join(dir, 'flake.nix'), flakeText(options.broken ?? false));
  return {
    dir,
    recordDir,
    pids: () =>
      existsSync(join(recordDir, 'pids'))
        ? readFileSync(join(recordDir, 'pids'), 'utf8')
            .trim()
            .split('\n')
            .filter(Boolean)
            .map(Number)
        : [],
    envOf: (pid) =>
      Object.fromEntries(
        readFileSync(join(recordDir, `env.${pid}`), 'utf8')
          .trim()
          .split('\n')
          .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
      ),
  };
}

function flakeText(broken: boolean): string {
  const extra = broken ? '\n      broken = throw "broken on purpose";' : '';
  return `{
  outputs = { self }: let
    runner = name: script: derivation {
      inherit name;
      system = "x86_64-linux";
      builder = "/bin/sh";
      src = script;
      args = [ "-c" "/bin/mkdir -p $out/bin && /bin/cp $src $out/bin/run-\${name}-vm && /bin/chmod +x $out/bin/run-\${name}-vm" ];
    };
    host = system: vm: {
      pkgs.stdenv.hostPlatform.system = system;
      config.system.build = if vm == null then { } else { inherit vm; };
    };
  in {
    nixosConfigurations = {
      tiny = host "x86_64-linux" (runner "tiny" ./run-good);
      mute = host "x86_64-linux" (runner "mute" ./run-silent);
      arm = host "aarch64-linux" (runner "arm" ./run-good);
      novm = host "x86_64-linux" null;${extra}
    };
  };
}
`;
}

/** True while a process with this pid exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Polls (no timing assertion: only an upper bound generous enough for a loaded machine). */
export async function until(what: () => boolean, limitMs = 120_000): Promise<boolean> {
  const end = Date.now() + limitMs;
  while (Date.now() < end) {
    if (what()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return what();
}
