// The CLI parses a command's options once, strictly, and asks optionProblem
// for its one-line reading only when that parse has refused them
// (src/cli.ts parseStrict). That is right only if Node's strict parse
// refuses every argument list optionProblem finds fault with; checked here
// over every kind of fault it names, with the real parseArgs. The messages
// the user sees are checked on the built CLI in errors.test.ts.
import { describe, expect, it } from 'vitest';
import { parseArgs } from 'node:util';
import { optionProblem } from '../../src/args.js';
import type { OptionsConfig } from '../../src/command.js';

const options: OptionsConfig = {
  help: { type: 'boolean', short: 'h' },
  force: { type: 'boolean' },
  json: { type: 'boolean' },
  flake: { type: 'string' },
  param: { type: 'string', short: 'p', multiple: true },
};

const strictRefuses = (args: string[]): boolean => {
  try {
    parseArgs({ args, options, allowPositionals: true, strict: true });
    return false;
  } catch {
    return true;
  }
};

const faulty: string[][] = [
  ['--forse'],
  ['wsl-home', '--nosuch', 'x'],
  ['-z'],
  ['-pz', '-q'],
  ['--flake'],
  ['wsl-home', '-p'],
  ['--force=yes'],
  ['--force='],
  ['--json=1', 'x'],
  ['-hx'],
];

const good: string[][] = [
  [],
  ['wsl-home', 'dir'],
  ['wsl-home', '-p', 'username=ada', '--param=email=a@b.c', '--flake', 'path:/x', '--force'],
  ['-h'],
  ['--', '--nosuch', '-z'],
];

describe('the strict parse refuses whatever optionProblem names', () => {
  it.each(faulty.map((a) => [a.join(' '), a]))('%s', (_, args) => {
    expect(optionProblem(args as string[], options)).not.toBeNull();
    expect(strictRefuses(args as string[])).toBe(true);
  });

  it.each(good.map((a) => [a.join(' ') || '(none)', a]))(
    '%s: accepted by both, so it is parsed once',
    (_, args) => {
      expect(optionProblem(args as string[], options)).toBeNull();
      expect(strictRefuses(args as string[])).toBe(false);
    },
  );
});
