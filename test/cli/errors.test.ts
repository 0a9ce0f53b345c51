// Mistakes in the command line: one line with the nearest known name and
// exit 2, one wording for a missing subcommand, help for one subcommand.
// Runs src/cli.ts in-process with captured output (no command does any work).
import { describe, expect, it } from 'vitest';
import { tmpdir } from 'node:os';
import { run } from '../../src/cli.js';
import { editDistance, nearest } from '../../src/suggest.js';
import { splitGlobals } from '../../src/args.js';
import { captureIo } from '../helpers/capture-io.js';

async function cli(...args: string[]) {
  const io = captureIo(tmpdir());
  const code = await run(args, io);
  return { code, stdout: io.out(), stderr: io.err() };
}

function oneLine(text: string): string {
  expect(text.trimEnd().split('\n')).toHaveLength(1);
  return text;
}

describe('unknown names get a did-you-mean and exit 2', () => {
  it('a mistyped command', async () => {
    const res = await cli('docter');
    expect(res.code).toBe(2);
    expect(oneLine(res.stderr)).toContain("unknown command 'docter'; did you mean 'doctor'?");
  });

  it("a mistyped flag, without Node's parseArgs text", async () => {
    const res = await cli('doctor', '--jsn');
    expect(res.code).toBe(2);
    expect(oneLine(res.stderr)).toContain("unknown option '--jsn'; did you mean '--json'?");
    expect(res.stderr).not.toMatch(/positional argument|Unknown option/);
  });

  it('a mistyped subcommand, naming the ones there are', async () => {
    const res = await cli('images', 'biuld');
    expect(res.code).toBe(2);
    expect(oneLine(res.stderr)).toMatch(
      /unknown subcommand 'biuld' \(one of plan, build, .*\); did you mean 'build'\?/,
    );
  });

  it('a flag that needs a value, and a switch given one', async () => {
    expect(oneLine((await cli('images', 'plan', '--flake')).stderr)).toContain(
      '--flake needs a value',
    );
    const res = await cli('doctor', '--json=yes');
    expect(res.code).toBe(2);
    expect(oneLine(res.stderr)).toContain('--json takes no value');
  });

  it('nothing near: no suggestion, still one line', async () => {
    const res = await cli('zzzzzz');
    expect(res.code).toBe(2);
    expect(oneLine(res.stderr)).not.toContain('did you mean');
  });
});

describe('a missing subcommand is reported one way by every command', () => {
  for (const command of ['images', 'onboard', 'ci', 'extract', 'docs', 'vm']) {
    it(command, async () => {
      const res = await cli(command);
      expect(res.code).toBe(2);
      expect(oneLine(res.stderr)).toMatch(
        new RegExp(`^crossflake ${command}: missing subcommand; choose one of \\w+, \\w+`),
      );
    });
  }
});

describe('help for one subcommand', () => {
  it('help images build and images build --help show build and only its options', async () => {
    const viaHelp = await cli('help', 'images', 'build');
    const viaFlag = await cli('images', 'build', '--help');
    expect(viaHelp.code).toBe(0);
    expect(viaFlag.stdout).toBe(viaHelp.stdout);
    expect(viaHelp.stdout).toMatch(/^Usage: crossflake images build /);
    expect(viaHelp.stdout).toContain('--keep-going');
    expect(viaHelp.stdout).not.toContain('--tag');
    expect(viaHelp.stdout).not.toContain('  fetch ');
  });

  it('every subcommand of every command has its own help', async () => {
    const subs: Record<string, string[]> = {
      images: ['plan', 'build', 'copy', 'release', 'merge', 'fetch'],
      onboard: ['wsl', 'macos', 'linux'],
      ci: ['generate', 'check'],
      extract: ['analyze', 'plan', 'apply'],
      docs: ['generate', 'check', 'lint'],
      vm: ['list', 'run', 'test'],
    };
    for (const [command, names] of Object.entries(subs)) {
      for (const sub of names) {
        const res = await cli(command, sub, '--help');
        expect(res.code).toBe(0);
        expect(res.stdout).toMatch(new RegExp(`^Usage: crossflake ${command} ${sub}\\b`));
      }
    }
    expect((await cli('ci', 'check', '--help')).stdout).not.toContain('--write');
    expect((await cli('onboard', 'macos', '--help')).stdout).not.toContain('--image ');
  });

  it('help of an unknown command or subcommand exits 2', async () => {
    const res = await cli('help', 'nosuch');
    expect(res.code).toBe(2);
    expect(res.stdout).toBe('');
    expect(oneLine(res.stderr)).toContain("unknown command 'nosuch'");
    expect((await cli('help', 'docter')).stderr).toContain("did you mean 'doctor'?");
    expect((await cli('help', 'images', 'nope')).code).toBe(2);
  });
});

describe('the nearest name', () => {
  it('counts a swap of neighbouring letters as one edit', () => {
    expect(editDistance('docter', 'doctor')).toBe(1);
    expect(editDistance('jsno', 'json')).toBe(1);
    expect(editDistance('', 'ci')).toBe(2);
  });

  it('suggests only a name near enough, or the one that starts with what was typed', () => {
    expect(nearest('biuld', ['plan', 'build'])).toBe('build');
    expect(nearest('ab', ['ci', 'docs'])).toBeNull();
    expect(nearest('gen', ['generate', 'check'])).toBe('generate');
  });
});

describe('global flags', () => {
  it('--verbose and --color are taken out wherever they stand before --', () => {
    const { args, flags, problem } = splitGlobals([
      'images',
      '--verbose',
      'build',
      '--color=never',
      '--',
      '--verbose',
    ]);
    expect(args).toEqual(['images', 'build', '--', '--verbose']);
    expect(flags).toEqual({ debug: false, verbose: true, color: 'never' });
    expect(problem).toBeNull();
    expect(splitGlobals(['--color', 'always', 'doctor']).flags.color).toBe('always');
    expect(splitGlobals(['--color', 'doctor']).args).toEqual(['doctor']);
  });

  it('a --color value that is not auto, always or never is one line, exit 2', async () => {
    const res = await cli('doctor', '--color=sometimes');
    expect(res.code).toBe(2);
    expect(oneLine(res.stderr)).toContain('--color takes auto, always or never');
  });
});
