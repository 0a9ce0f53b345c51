// Parsers for what wsl.exe prints. wsl.exe writes UTF-16LE to a pipe (unless
// WSL_UTF8=1 is set), so decoding comes first; the same functions serve the
// live probe and the recorded outputs in the tests.
import type { WslDistro } from './facts.js';

/** Decodes wsl.exe output: UTF-16LE (with or without BOM) or UTF-8. */
export function decodeWslOutput(bytes: Buffer): string {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
    return bytes.subarray(2).toString('utf16le');
  }
  if (looksLikeUtf16le(bytes)) return bytes.toString('utf16le');
  return bytes.toString('utf8').replace(/^\uFEFF/, '');
}

/** ASCII text in UTF-16LE has a zero byte at most odd offsets. */
function looksLikeUtf16le(bytes: Buffer): boolean {
  const sample = Math.min(bytes.length, 200) & ~1;
  if (sample < 4) return false;
  let zeros = 0;
  for (let i = 1; i < sample; i += 2) if (bytes[i] === 0) zeros++;
  return zeros / (sample / 2) > 0.6;
}

function lines(text: string): string[] {
  return text
    .replace(/\0/g, '')
    .split(/\r?\n/)
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== '');
}

/**
 * `wsl.exe --version`: "Key: value" lines. The key names are localised on
 * non-English Windows, so values are picked by position as a fallback.
 */
export interface WslVersionInfo {
  wslVersion: string | null;
  kernelVersion: string | null;
  windowsVersion: string | null;
}

export function parseWslVersion(text: string): WslVersionInfo {
  const pairs = lines(text)
    .map((l) => /^\s*([^:]+):\s*(\S.*)$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => [m[1]!.trim().toLowerCase(), m[2]!.trim()] as const);
  const byKey = (needle: string, index: number): string | null =>
    pairs.find(([k]) => k.startsWith(needle))?.[1] ?? pairs[index]?.[1] ?? null;
  const versionish = (v: string | null) => (v && /^\d+(\.\d+)+/.test(v) ? v : null);
  return {
    wslVersion: versionish(byKey('wsl version', 0)),
    kernelVersion: versionish(byKey('kernel version', 1)),
    windowsVersion: versionish(
      pairs.find(([k]) => k.startsWith('windows version'))?.[1] ?? pairs.at(-1)?.[1] ?? null,
    ),
  };
}

/** `wsl.exe --status`: the default version, and the kernel where old WSL prints it. */
export function parseWslStatus(text: string): {
  defaultVersion: number | null;
  defaultDistro: string | null;
} {
  let defaultVersion: number | null = null;
  let defaultDistro: string | null = null;
  for (const line of lines(text)) {
    const m = /^\s*([^:]+):\s*(.+)$/.exec(line);
    if (!m) continue;
    const key = m[1]!.toLowerCase();
    if (key.includes('default version')) defaultVersion = Number.parseInt(m[2]!, 10) || null;
    if (key.includes('default distribution')) defaultDistro = m[2]!.trim();
  }
  return { defaultVersion, defaultDistro };
}

/**
 * `wsl.exe -l -v`: a header line (NAME STATE VERSION), then one row per
 * distro, the default marked with "*". Names may contain spaces only in
 * theory (wsl refuses them), so rows split on runs of whitespace.
 */
export function parseWslList(text: string): WslDistro[] {
  const rows = lines(text);
  const header = rows.findIndex((l) => /\bNAME\b/i.test(l) && /\bVERSION\b/i.test(l));
  if (header < 0) return [];
  const distros: WslDistro[] = [];
  for (const row of rows.slice(header + 1)) {
    const isDefault = row.trimStart().startsWith('*');
    const fields = row.replace(/^\s*\*?\s*/, '').split(/\s+/);
    if (fields.length < 3) continue;
    const version = Number.parseInt(fields.at(-1)!, 10);
    if (!Number.isFinite(version)) continue;
    distros.push({
      name: fields.slice(0, -2).join(' '),
      state: fields.at(-2)!,
      version,
      isDefault,
    });
  }
  return distros;
}

/** wsl.exe prints this (and exits non-zero) when no distro is installed yet. */
export function saysNoDistributions(text: string): boolean {
  return /has no installed distributions/i.test(text);
}
