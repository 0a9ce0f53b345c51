// An Io whose output is captured as strings, for handler tests.
import { Readable } from 'node:stream';
import type { Io } from '../../src/command.js';

export interface CapturedIo extends Io {
  out(): string;
  err(): string;
}

export function captureIo(cwd: string, env: NodeJS.ProcessEnv = {}, input = ''): CapturedIo {
  let out = '';
  let err = '';
  return {
    stdout: { write: (c: string) => (out += c), isTTY: false },
    stderr: { write: (c: string) => (err += c), isTTY: false },
    stdin: Readable.from([input]) as unknown as Io['stdin'],
    env,
    cwd,
    out: () => out,
    err: () => err,
  };
}
