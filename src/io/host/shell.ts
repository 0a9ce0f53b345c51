// Which shell the user typed crossflake into, so that the commands onboard
// shows can be pasted back into it. On Windows that is the nearest PowerShell
// or cmd among the process's ancestors; everywhere else a POSIX shell.
import { run } from '../proc.js';
import type { Shell } from '../../ui/shell-quote.js';

const POWERSHELLS = new Set(['pwsh.exe', 'powershell.exe', 'pwsh', 'powershell']);
const CMD = 'cmd.exe';
/** Processes between the shell and us: node itself and package-runner shims. */
const PASS_THROUGH = new Set(['node.exe', 'npm.exe', 'npx.exe', 'conhost.exe']);

/**
 * Decides from the ancestors' names, nearest first. A cmd.exe whose own
 * parent is PowerShell is the shim PowerShell starts for npx.cmd: the user
 * is in PowerShell. Unknown chains default to PowerShell, Windows 11's default.
 */
export function shellFromAncestors(names: readonly string[]): Shell {
  const chain = names.map((n) => n.toLowerCase()).filter((n) => !PASS_THROUGH.has(n));
  const first = chain.findIndex((n) => POWERSHELLS.has(n) || n === CMD);
  if (first < 0) return 'powershell';
  if (chain[first] !== CMD) return 'powershell';
  return POWERSHELLS.has(chain[first + 1] ?? '') ? 'powershell' : 'cmd';
}

/** Parses the probe's output: one process name per line, nearest first. */
export function parseAncestors(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
}

/**
 * Asks Windows for the names of up to 6 ancestors. Only our own parent's
 * process id (a number) goes into the PowerShell script.
 */
async function windowsAncestors(ppid: number, env: NodeJS.ProcessEnv): Promise<string[]> {
  const script = [
    `$p = ${Math.trunc(ppid)}`,
    'for ($i = 0; $i -lt 6 -and $p; $i++) {',
    '  $q = Get-CimInstance Win32_Process -Filter "ProcessId=$p"',
    '  if (-not $q) { break }',
    '  $q.Name',
    '  $p = $q.ParentProcessId',
    '}',
  ].join('\n');
  const res = await run('powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', script], {
    env,
    timeoutMs: 15_000,
  });
  if (res.code !== 0) throw new Error(`powershell.exe: ${res.failure ?? `exit ${res.code}`}`);
  return parseAncestors(res.stdout.toString('utf8'));
}

export async function detectShell(
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform = process.platform,
  ppid: number = process.ppid,
): Promise<Shell> {
  if (platform !== 'win32') return 'posix';
  return shellFromAncestors(await windowsAncestors(ppid, env).catch(() => []));
}
