import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { colorMode, colorsFor, useColor } from '../../src/ui/color.js';

const tty = { isTTY: true };
const pipe = { isTTY: false };
const io = (env: NodeJS.ProcessEnv, out = tty, color?: string) => ({
  env,
  color,
  stdout: out,
  stderr: out,
});

describe('the colour decision (one function for every command)', () => {
  it('auto colours a terminal and not a pipe or a dumb terminal', () => {
    expect(useColor(io({}))).toBe(true);
    expect(useColor(io({}, pipe))).toBe(false);
    expect(useColor(io({ TERM: 'dumb' }))).toBe(false);
  });

  it('FORCE_COLOR=0 or false turns colour off even on a terminal; 1-3 turn it on for a pipe', () => {
    expect(useColor(io({ FORCE_COLOR: '0' }))).toBe(false);
    expect(useColor(io({ FORCE_COLOR: 'false' }))).toBe(false);
    for (const v of ['1', '2', '3', 'true'])
      expect(useColor(io({ FORCE_COLOR: v }, pipe))).toBe(true);
  });

  it('NO_COLOR with any non-empty value turns colour off; empty is not set', () => {
    expect(useColor(io({ NO_COLOR: '1' }))).toBe(false);
    expect(useColor(io({ NO_COLOR: 'yes please' }))).toBe(false);
    expect(useColor(io({ NO_COLOR: '' }))).toBe(true);
  });

  it('--color=always|never beats the environment; auto defers to it', () => {
    expect(colorMode(io({ NO_COLOR: '1' }, tty, 'always'))).toBe('always');
    expect(colorMode(io({ FORCE_COLOR: '1' }, tty, 'never'))).toBe('never');
    expect(colorMode(io({ NO_COLOR: '1' }, tty, 'auto'))).toBe('never');
    expect(useColor(io({}, pipe, 'always'))).toBe(true);
  });

  it('an unknown FORCE_COLOR value is no choice: auto decides', () => {
    expect(colorMode(io({ FORCE_COLOR: 'banana' }))).toBe('auto');
  });

  it('colours stderr by stderr, not by stdout', () => {
    const mixed = { env: {}, stdout: pipe, stderr: tty };
    expect(useColor(mixed, 'stderr')).toBe(true);
    expect(useColor(mixed, 'stdout')).toBe(false);
    expect(colorsFor(mixed, 'stdout').red('x')).toBe('x');
  });
});

// The built CLI on a real pseudo-terminal (util-linux `script`), where
// stdout.isTTY is true as in a user's shell: doctor on a recorded facts file
// colours its statuses.
function doctorOnPty(env: string): string {
  const cmd = `env -u NO_COLOR -u FORCE_COLOR ${env} '${process.execPath}' bin/crossflake.js doctor --facts test/fixtures/host/facts/broken-no-flakes.json --no-policy`;
  const res = spawnSync('script', ['-qec', cmd, '/dev/null'], { encoding: 'utf8' });
  expect(res.stdout).toContain('Nix installed');
  return res.stdout;
}

describe('colour on a real pseudo-terminal (built CLI)', () => {
  it('colours by default', () => {
    expect(doctorOnPty('')).toContain('\x1b[32mpass');
  });

  it('FORCE_COLOR=0 gives no escapes', () => {
    expect(doctorOnPty('FORCE_COLOR=0')).not.toContain('\x1b[');
  });

  it('NO_COLOR=1 gives no escapes', () => {
    expect(doctorOnPty('NO_COLOR=1')).not.toContain('\x1b[');
  });

  it('TERM=dumb gives no escapes', () => {
    expect(doctorOnPty('TERM=dumb')).not.toContain('\x1b[');
  });
});

describe('colour through a pipe (built CLI)', () => {
  const run = (env: NodeJS.ProcessEnv) =>
    spawnSync(
      process.execPath,
      [
        'bin/crossflake.js',
        'doctor',
        '--facts',
        'test/fixtures/host/facts/broken-no-flakes.json',
        '--no-policy',
      ],
      { encoding: 'utf8', env: { ...process.env, NO_COLOR: '', FORCE_COLOR: undefined, ...env } },
    ).stdout;

  it('a pipe gets no escapes', () => {
    expect(run({})).not.toContain('\x1b[');
  });

  it('FORCE_COLOR=1 colours a pipe', () => {
    expect(run({ FORCE_COLOR: '1' })).toContain('\x1b[32mpass');
  });
});
