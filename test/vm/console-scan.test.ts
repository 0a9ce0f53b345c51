// Waiting for text on the console scans only the line still being written
// when the pattern cannot span lines; it must find exactly what a scan of the
// whole text finds, however the console output is cut into pieces.
import { describe, expect, it } from 'vitest';
import { consoleScanner, exitPattern, lineBound, READY_ANSWER } from '../../src/vm/console.js';

const literal = (text: string) => new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));

const CONSOLE = [
  '[    0.000000] Linux version 6.1.0-28-amd64\n',
  'Run /init as init process\n',
  'crossflake-vm: ready\n',
  '~ # echo crossflake-ready-$((6*7))\n',
  'crossflake-ready-42\n',
  '~ # uname -s\necho "crossflake-exit-1=$?"\nLinux\ncrossflake-exit-1=0\n',
  'costs $5 a line\nline one\nline two\n',
].join('');

/** Every piece size from 1 to 7, and the whole text at once. */
function pieces(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

function scanInPieces(pattern: RegExp, before: string, rest: string[]): [number, string] | null {
  const scan = consoleScanner(pattern, before);
  let m = scan('');
  for (const p of rest) {
    if (m) break;
    m = scan(p);
  }
  return m ? [m.index, m[0]] : null;
}

describe('console scanning', () => {
  const patterns = [
    literal('crossflake-vm: ready'),
    READY_ANSWER,
    exitPattern(1),
    literal('costs $5'),
    literal('line one\nline two'),
    literal('never printed'),
    /^\[/,
  ];
  for (const pattern of patterns) {
    it(`${pattern} is found where a whole-text scan finds it, in pieces of any size`, () => {
      const whole = pattern.exec(CONSOLE);
      const expected = whole ? [whole.index, whole[0]] : null;
      for (const size of [1, 2, 3, 5, 7, CONSOLE.length]) {
        expect(scanInPieces(pattern, '', pieces(CONSOLE, size))).toEqual(expected);
        // Text already there when the wait starts counts too.
        const head = CONSOLE.slice(0, 40);
        expect(scanInPieces(pattern, head, pieces(CONSOLE.slice(40), size))).toEqual(expected);
      }
    });
  }

  it('a wait that lasts a long boot rescans only the line being written, not the whole log', () => {
    const pattern = literal('crossflake-vm: ready');
    const scanned: number[] = [];
    const exec = pattern.exec.bind(pattern);
    pattern.exec = (text: string) => {
      scanned.push(text.length);
      return exec(text);
    };
    const scan = consoleScanner(pattern, '');
    const line = `[ OK ] Started a unit that logs a line of ${'x'.repeat(40)}\n`;
    for (let i = 0; i < 5000; i++) expect(scan(line)).toBeNull();
    expect(scan('crossflake-vm: ')).toBeNull();
    expect(scan('ready\n')?.index).toBe(5000 * line.length);
    // The whole log is 5000 lines; no scan read more than one line and a piece.
    expect(Math.max(...scanned)).toBeLessThanOrEqual(line.length + 'crossflake-vm: ready\n'.length);
  });

  it('patterns that could match a line break or look behind are scanned in full', () => {
    expect(lineBound(literal('crossflake-vm: ready'))).toBe(true);
    expect(lineBound(exitPattern(3))).toBe(true);
    expect(lineBound(READY_ANSWER)).toBe(true);
    expect(lineBound(literal('a\nb'))).toBe(false);
    expect(lineBound(/a\sb/)).toBe(false);
    expect(lineBound(/a[^x]b/)).toBe(false);
    expect(lineBound(/^login:/)).toBe(false);
    expect(lineBound(/(?<=x)y/)).toBe(false);
    expect(lineBound(/a.b/s)).toBe(false);
  });
});
