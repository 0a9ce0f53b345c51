// `sysctl name...` prints "name: value" lines; unknown names (an Intel Mac
// has no hw.optional.arm64) go to stderr, so a missing key means "absent".

export function parseSysctl(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([\w.]+):\s?(.*)$/.exec(line.trim());
    if (m) out[m[1]!] = m[2]!.trim();
  }
  return out;
}

export const SYSCTL_KEYS = [
  'kern.osproductversion',
  'hw.optional.arm64',
  'sysctl.proc_translated',
  'machdep.cpu.brand_string',
] as const;
