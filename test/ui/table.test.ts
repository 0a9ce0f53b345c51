import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import stringWidth from 'string-width';
import { fitWidths, renderTable, tableWidth, visibleLength } from '../../src/ui/table.js';

const widest = (text: string) => Math.max(...text.trimEnd().split('\n').map(visibleLength));

describe('display width', () => {
  it('counts escapes as 0 and East Asian wide characters and emoji as 2', () => {
    expect(visibleLength('\x1b[32mpass\x1b[39m')).toBe(4);
    expect(visibleLength('日本語')).toBe(6);
    expect(visibleLength('ok 👍')).toBe(5);
  });

  it('lines up a column of wide characters', () => {
    const out = renderTable(
      ['name', 'x'],
      [
        ['日本', '1'],
        ['ab', '2'],
      ],
    ).split('\n');
    const column = (line: string, text: string) => stringWidth(line.slice(0, line.indexOf(text)));
    expect(column(out[2]!, '1')).toBe(6); // 日本 is 4 columns, then 2 of gap
    expect(column(out[3]!, '2')).toBe(6);
  });
});

describe('tables fit the terminal', () => {
  const detail = `a long explanation ${'word '.repeat(30)}end`;
  const rows = [
    ['\x1b[32mpass\x1b[39m', 'a very long step title that goes on', detail],
    ['FAIL', 'short', '日本語の説明 '.repeat(12)],
  ];

  it('without a width nothing is cut (a pipe gets whole lines)', () => {
    const out = renderTable(['status', 'step', 'detail'], rows);
    expect(out).toContain(detail);
    expect(out.split('\n')).toHaveLength(5);
  });

  it('at 60 columns no line is wider, and the last column wraps with nothing lost', () => {
    const out = renderTable(['status', 'step', 'detail'], rows, { width: 60 });
    expect(widest(out)).toBeLessThanOrEqual(60);
    const words = out.match(/word/g) ?? [];
    expect(words).toHaveLength(30);
    expect(out).toContain('end');
  });

  it('a name column is cut with an ellipsis when the last column alone cannot make room', () => {
    const out = renderTable(['a', 'b'], [['x'.repeat(50), 'y'.repeat(50)]], { width: 40 });
    expect(widest(out)).toBeLessThanOrEqual(40);
    expect(out).toContain('…');
  });

  it('wide characters are wrapped by display columns, not string length', () => {
    const out = renderTable(['k', 'v'], [['k', '漢'.repeat(40)]], { width: 30 });
    for (const line of out.trimEnd().split('\n')) expect(stringWidth(line)).toBeLessThanOrEqual(30);
  });

  it('columns stop shrinking at a readable minimum', () => {
    expect(fitWidths([20, 20, 20], 10)).toEqual([6, 6, 6]);
    expect(fitWidths([5, 30], 20)).toEqual([5, 13]);
  });
});

describe('the width tables get', () => {
  it('a terminal: its columns, else COLUMNS, else 80', () => {
    expect(tableWidth({ stdout: { isTTY: true, columns: 100 }, env: {} })).toBe(100);
    expect(tableWidth({ stdout: { isTTY: true }, env: { COLUMNS: '70' } })).toBe(70);
    expect(tableWidth({ stdout: { isTTY: true }, env: {} })).toBe(80);
  });

  it('a pipe: no limit unless the user set COLUMNS', () => {
    expect(tableWidth({ stdout: { isTTY: false }, env: {} })).toBeUndefined();
    expect(tableWidth({ stdout: { isTTY: false }, env: { COLUMNS: '90' } })).toBe(90);
    expect(tableWidth({ stdout: { isTTY: false }, env: { COLUMNS: 'wide' } })).toBeUndefined();
  });
});

describe('on a real 60-column pseudo-terminal (built CLI)', () => {
  it("doctor's table fits, read from the terminal's own size", () => {
    const cmd = `stty cols 60; env -u COLUMNS '${process.execPath}' bin/crossflake.js doctor --facts test/fixtures/host/facts/broken-no-flakes.json --no-policy`;
    const res = spawnSync('script', ['-qec', cmd, '/dev/null'], { encoding: 'utf8' });
    const lines = res.stdout.split(/\r?\n/);
    const start = lines.findIndex((l) => l.startsWith('status'));
    const table = lines.slice(start, lines.indexOf('', start));
    expect(table.length).toBeGreaterThan(10);
    expect(widest(table.join('\n'))).toBeLessThanOrEqual(60);
    expect(widest(table.join('\n'))).toBeGreaterThan(40);
  });
});
