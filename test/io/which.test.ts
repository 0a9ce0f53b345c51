// `which` as Windows resolves names: found through the Windows lane, where a
// wsl.exe on PATH (not in System32) was never found because ".exe" was
// appended to "wsl.exe".
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { which } from '../../src/io/proc.js';

const dir = mkdtempSync(join(tmpdir(), 'cf-which-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, 'wsl.exe'), '');
writeFileSync(join(dir, 'tool.cmd'), '');
// Lower-case extensions: this file system, unlike Windows', is case-sensitive.
const env = { PATH: `;${dir}`, PATHEXT: '.com;.exe;.bat;.cmd' };

describe('which on win32', () => {
  it('finds a name that already carries a PATHEXT extension, in any case', () => {
    expect(which('wsl.exe', env, 'win32')).toBe(join(dir, 'wsl.exe'));
    expect(which('wsl.exe', { ...env, PATHEXT: '.COM;.EXE' }, 'win32')).toBe(join(dir, 'wsl.exe'));
  });
  it('appends each PATHEXT extension to a bare name', () => {
    expect(which('wsl', env, 'win32')).toBe(join(dir, 'wsl.exe'));
    expect(which('tool', env, 'win32')).toBe(join(dir, 'tool.cmd'));
  });
  it('finds nothing for a name that is not there', () => {
    expect(which('wslx.exe', env, 'win32')).toBeNull();
  });
});
