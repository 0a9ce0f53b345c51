// src/io/stdio.ts: standard output written straight to its descriptor when
// it is a file, a pipe or /dev/null, so a run never makes Node's streams for
// it; every byte in order, the real stream on EAGAIN, a closed reader quiet.
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { directWriter, writesDirectly } from '../../src/io/stdio.js';

const work = mkdtempSync(join(tmpdir(), 'cf-stdio-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const bin = join(process.cwd(), 'bin', 'crossflake.js');

function fail(code: string): never {
  throw Object.assign(new Error(code), { code });
}

describe('writesDirectly', () => {
  it('a regular file and /dev/null: yes; anything on Windows: no', () => {
    const file = openSync(join(work, 'out.txt'), 'w');
    const devNull = openSync('/dev/null', 'w');
    try {
      expect(writesDirectly(file)).toBe(true);
      expect(writesDirectly(devNull)).toBe(true);
      expect(writesDirectly(file, 'win32')).toBe(false);
    } finally {
      closeSync(file);
      closeSync(devNull);
    }
  });

  it('a descriptor that is not open: no (the real stream decides)', () => {
    expect(writesDirectly(987_654)).toBe(false);
  });
});

describe('directWriter', () => {
  const noStream = () => fail('the stream was not to be made');
  const noClose = () => fail('not closed');

  it('loops over short writes until every byte is out, in order', () => {
    const got: string[] = [];
    const write = (_fd: number, bytes: Uint8Array, offset: number, length: number) => {
      const n = Math.min(3, length);
      got.push(Buffer.from(bytes.subarray(offset, offset + n)).toString());
      return n;
    };
    const out = directWriter(1, noStream, noClose, write);
    expect(out.write('hello, world')).toBe(true);
    expect(out.write(new TextEncoder().encode('!'))).toBe(true);
    expect(got.join('')).toBe('hello, world!');
  });

  it('on EAGAIN hands the rest, and every later write, to the real stream', () => {
    const direct: string[] = [];
    const streamed: string[] = [];
    let calls = 0;
    const write = (_fd: number, bytes: Uint8Array, offset: number) => {
      if (++calls > 1) fail('EAGAIN');
      direct.push(Buffer.from(bytes.subarray(offset, offset + 4)).toString());
      return 4;
    };
    const stream = {
      write: (c: string | Uint8Array) => (streamed.push(Buffer.from(c).toString()), true),
    };
    const out = directWriter(1, () => stream, noClose, write);
    out.write('abcdefgh');
    out.write('ij');
    expect(direct).toEqual(['abcd']);
    expect(streamed).toEqual(['efgh', 'ij']);
  });

  it('on EPIPE (the reader went away) calls onClosed and throws nothing', () => {
    let closed = 0;
    const out = directWriter(
      1,
      noStream,
      () => closed++,
      () => fail('EPIPE'),
    );
    expect(out.write('x')).toBe(false);
    expect(closed).toBe(1);
  });

  it('any other error is thrown', () => {
    const out = directWriter(1, noStream, noClose, () => fail('EIO'));
    expect(() => out.write('x')).toThrow('EIO');
  });
});

describe('the built CLI', () => {
  it('writes the same text to a file as to a pipe', () => {
    const piped = spawnSync(process.execPath, [bin, 'init', '--list'], { encoding: 'utf8' });
    const path = join(work, 'list.txt');
    const fd = openSync(path, 'w');
    const filed = spawnSync(process.execPath, [bin, 'init', '--list'], {
      stdio: ['ignore', fd, 'pipe'],
    });
    closeSync(fd);
    expect(filed.status).toBe(0);
    expect(piped.stdout.length).toBeGreaterThan(100);
    expect(readFileSync(path, 'utf8')).toBe(piped.stdout);
  });

  it('a reader that closes at once is no error, whenever it closes', () => {
    // The reader exits without reading; crossflake's writes then meet EPIPE
    // (or land in the pipe's buffer first): either way exit 0 and nothing on
    // stderr. bash's PIPESTATUS gives crossflake's own exit status.
    for (const args of ['--help', 'init --list --json']) {
      const res = spawnSync(
        'bash',
        ['-c', `"${process.execPath}" "${bin}" ${args} | exit 0; echo "status \${PIPESTATUS[0]}"`],
        { encoding: 'utf8' },
      );
      expect(res.stdout, args).toBe('status 0\n');
      expect(res.stderr, args).toBe('');
    }
  });
});
