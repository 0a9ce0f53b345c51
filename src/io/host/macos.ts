// macOS probe: one sysctl call gives the version, Apple Silicon and Rosetta.
import { run } from '../proc.js';
import type { MacosFacts } from './facts.js';
import { parseSysctl, SYSCTL_KEYS } from './macos-parse.js';

export function macosFactsFromSysctl(values: Record<string, string>): MacosFacts {
  return {
    productVersion: values['kern.osproductversion'] ?? null,
    appleSilicon: values['hw.optional.arm64'] === '1',
    rosetta: values['sysctl.proc_translated'] === '1',
    cpuBrand: values['machdep.cpu.brand_string'] ?? null,
  };
}

export async function probeMacos(): Promise<MacosFacts> {
  // sysctl exits non-zero when one name is unknown (Intel Macs lack
  // hw.optional.arm64) but still prints the others, so the exit code is ignored.
  const res = await run('/usr/sbin/sysctl', [...SYSCTL_KEYS], { timeoutMs: 5000 });
  if (res.failure) throw new Error(`sysctl: ${res.failure}`);
  return macosFactsFromSysctl(parseSysctl(res.stdout.toString('utf8')));
}
