// Pure parsers for Linux host files (/etc/os-release, /proc/version,
// binfmt_misc entries), kept apart from the probes so tests feed them
// recorded contents.

/** /etc/os-release: KEY=value lines, values optionally quoted. */
export function parseOsRelease(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (!m) continue;
    let value = m[2]!;
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.endsWith(quote) && value.length >= 2) {
      value = value.slice(1, -1).replace(/\\(["'$`\\])/g, '$1');
    }
    out[m[1]!] = value;
  }
  return out;
}

/**
 * WSL generation from the kernel release or /proc/version. WSL2 kernels say
 * "microsoft-standard" (newer ones "-microsoft-standard-WSL2"); WSL1 reports
 * a fake "4.4.0-19041-Microsoft". Null: not WSL.
 */
export function wslVersionFromKernel(release: string, procVersion = ''): 1 | 2 | null {
  const text = `${release} ${procVersion}`;
  if (/microsoft-standard|WSL2/i.test(text)) return 2;
  if (/microsoft/i.test(text)) return 1;
  return null;
}

/** ELF e_machine values and the Nix system each means, per ELF class. */
const ELF_MACHINES: Record<string, string> = {
  '64:62': 'x86_64-linux',
  '64:183': 'aarch64-linux',
  '64:243': 'riscv64-linux',
  '64:21': 'powerpc64le-linux',
  '32:3': 'i686-linux',
  '32:40': 'armv7l-linux',
};

/**
 * A binfmt_misc entry file. Returns the Nix system its ELF magic matches, or
 * null for disabled entries and non-ELF handlers (WSLInterop's "MZ").
 */
export function binfmtSystem(entry: string): string | null {
  const fields = entry.split('\n').map((l) => l.trim());
  if (!fields.includes('enabled')) return null;
  const magic = fields
    .find((l) => l.startsWith('magic '))
    ?.slice(6)
    .trim();
  if (!magic || !magic.startsWith('7f454c46') || magic.length < 40) return null;
  const bytes = Buffer.from(magic, 'hex');
  const elfClass = bytes[4] === 2 ? 64 : 32;
  const machine = bytes[5] === 2 ? bytes.readUInt16BE(18) : bytes.readUInt16LE(18);
  return ELF_MACHINES[`${elfClass}:${machine}`] ?? null;
}
