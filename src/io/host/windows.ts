// Windows-native probe: is WSL there, which version, which distros.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { run, which } from '../proc.js';
import type { WindowsFacts } from './facts.js';
import { UNKNOWN } from './facts.js';
import { decodeWslOutput, parseWslList, parseWslStatus, parseWslVersion } from './wsl-exe.js';

const TIMEOUT_MS = 10_000;

export function findWslExe(env: NodeJS.ProcessEnv): string | null {
  const system = join(env.SystemRoot ?? 'C:\\Windows', 'System32', 'wsl.exe');
  return which('wsl.exe', env, 'win32') ?? (existsSync(system) ? system : null);
}

/** Recorded or live outputs of the three wsl.exe calls, decoded to facts. */
export function windowsFactsFromOutputs(outputs: {
  version: Buffer | null;
  status: Buffer | null;
  list: Buffer | null;
  hypervisorPresent: string | null;
}): WindowsFacts {
  const version = outputs.version ? parseWslVersion(decodeWslOutput(outputs.version)) : null;
  const status = outputs.status ? parseWslStatus(decodeWslOutput(outputs.status)) : null;
  const distros = outputs.list ? parseWslList(decodeWslOutput(outputs.list)) : [];
  const hv = outputs.hypervisorPresent?.trim().toLowerCase();
  return {
    wslInstalled: true,
    wslVersion: version?.wslVersion ?? null,
    kernelVersion: version?.kernelVersion ?? null,
    windowsVersion: version?.windowsVersion ?? null,
    defaultVersion: status?.defaultVersion ?? null,
    distros,
    virtualization: hv === 'true' ? true : hv === 'false' ? false : UNKNOWN,
  };
}

export async function probeWindows(env: NodeJS.ProcessEnv): Promise<WindowsFacts> {
  const wsl = findWslExe(env);
  if (!wsl) {
    return {
      wslInstalled: false,
      wslVersion: null,
      kernelVersion: null,
      windowsVersion: null,
      defaultVersion: null,
      distros: [],
      virtualization: UNKNOWN,
    };
  }
  const ok = (r: { code: number | null; stdout: Buffer }) => (r.code === 0 ? r.stdout : null);
  const [version, status, list, hv] = await Promise.all([
    run(wsl, ['--version'], { timeoutMs: TIMEOUT_MS }),
    run(wsl, ['--status'], { timeoutMs: TIMEOUT_MS }),
    run(wsl, ['--list', '--verbose'], { timeoutMs: TIMEOUT_MS }),
    run(
      'powershell.exe',
      [
        '-NoProfile',
        '-NonInteractive',
        '-Command',
        '(Get-CimInstance -ClassName Win32_ComputerSystem).HypervisorPresent',
      ],
      { timeoutMs: TIMEOUT_MS },
    ),
  ]);
  return windowsFactsFromOutputs({
    version: ok(version),
    status: ok(status),
    list: ok(list),
    hypervisorPresent: hv.code === 0 ? hv.stdout.toString('utf8') : null,
  });
}
