import { describe, expect, it } from 'vitest';
import {
  isArtifactName,
  parseSha256Sums,
  renderSha256Sums,
  RESERVED_NAMES,
} from '../../src/images/artifact-name.js';
import { parsePartName, partName, reassemble, splitPlan } from '../../src/images/asset-parts.js';
import { hasControlCharacters, printable } from '../../src/ui/printable.js';

const HEX = 'a'.repeat(64);

describe('artifact file names: one grammar', () => {
  it('accepts the names builds make', () => {
    for (const name of [
      'company-nixos-wsl-x86_64-linux-2026.11.wsl',
      'demo-docker-aarch64-linux-1.0.0-rc.1+build.5.tar.gz',
      'demo-qcow2-x86_64-linux-2026.11.qcow2.part-001-of-003',
    ])
      expect(isArtifactName(name), name).toBe(true);
  });

  it('refuses paths, control characters, bidi controls, the release files and temp files', () => {
    for (const name of [
      '',
      '.',
      '..',
      '../x.iso',
      'a/b.iso',
      'a\\b.iso',
      'x..iso',
      '-rf.iso',
      '.hidden.iso',
      'evil\n0000  SHA256SUMS',
      'tab\there.iso',
      'esc\u001b[31mred.iso',
      'bidi\u202egpj.exe',
      'nul\u0000.iso',
      'space name.iso',
      'é.iso',
      'x'.repeat(256),
      'release.json',
      'RELEASE.JSON',
      'SHA256SUMS',
      'sha256sums',
      'manifest.json',
      'RELEASE-NOTES.md',
      '.demo.iso.crossflake-tmp-1',
    ])
      expect(isArtifactName(name), JSON.stringify(name)).toBe(false);
    expect(RESERVED_NAMES).toContain('release.json');
  });
});

describe('parseSha256Sums (shared with images fetch)', () => {
  it('reads sha256sum text and binary mode lines, CRLF too', () => {
    const sums = parseSha256Sums(`${HEX}  a.iso\r\n${'B'.repeat(64)} *b.qcow2\n\n`);
    expect([...sums]).toEqual([
      ['a.iso', HEX],
      ['b.qcow2', 'b'.repeat(64)],
    ]);
  });

  it('refuses an entry whose name carries escape bytes, naming the line and showing them escaped', () => {
    const text = `${HEX}  ok.iso\n${HEX}  \u001b]0;owned\u0007x.iso\n`;
    expect(() => parseSha256Sums(text)).toThrow(
      /line 2: '\\x1b\]0;owned\\x07x\.iso' is not an artifact file name/,
    );
    try {
      parseSha256Sums(text);
    } catch (error) {
      expect(hasControlCharacters((error as Error).message)).toBe(false);
    }
  });

  it('refuses duplicate entries, even with the same hash', () => {
    expect(() => parseSha256Sums(`${HEX}  a.iso\n${HEX}  a.iso\n`)).toThrow(
      /line 2: 'a.iso' is listed more than once/,
    );
  });

  it('refuses malformed lines and reserved names', () => {
    expect(() => parseSha256Sums('not a sums line\n')).toThrow(/line 1: not a/);
    expect(() => parseSha256Sums(`${HEX}  release.json\n`)).toThrow(/release's own files/);
  });

  it('rendering refuses a name with a newline instead of forging a second line', () => {
    const forged = { file: `x.iso\n${'0'.repeat(64)}  evil.iso`, sha256: HEX };
    expect(() => renderSha256Sums([forged])).toThrow(/not an artifact file name/);
    expect(
      renderSha256Sums([
        { file: 'b.iso', sha256: HEX },
        { file: 'a.iso', sha256: HEX },
      ]),
    ).toBe(`${HEX}  a.iso\n${HEX}  b.iso\n`);
  });
});

describe('printable: terminal output never carries raw control characters', () => {
  it('escapes C0, C1, DEL and bidi controls and keeps ordinary text', () => {
    expect(printable('a\u001b[2Jb\r\n\u007f\u009b\u202ec')).toBe(
      'a\\x1b[2Jb\\r\\n\\x7f\\x9b\\u202ec',
    );
    expect(printable('naïve 日本 ok')).toBe('naïve 日本 ok');
  });
});

describe('asset parts: split plan and reassembly', () => {
  it('splits only files over the limit into ranges that cover every byte once', () => {
    expect(splitPlan('a.iso', 1000, 1000)).toBeNull();
    const plan = splitPlan('a.iso', 2500, 1000) ?? [];
    expect(plan.map((p) => [p.file, p.start, p.end, p.size])).toEqual([
      ['a.iso.part-001-of-003', 0, 999, 1000],
      ['a.iso.part-002-of-003', 1000, 1999, 1000],
      ['a.iso.part-003-of-003', 2000, 2499, 500],
    ]);
    expect(plan.every((p) => isArtifactName(p.file))).toBe(true);
  });

  it('reassembles complete part sets in order and names what is missing', () => {
    const names = [
      'b.qcow2.part-002-of-002',
      'plain.iso',
      'a.iso.part-001-of-003',
      'b.qcow2.part-001-of-002',
      'a.iso.part-003-of-003',
    ];
    const plan = reassemble(names);
    expect(plan.wholes).toEqual([
      { file: 'b.qcow2', parts: ['b.qcow2.part-001-of-002', 'b.qcow2.part-002-of-002'] },
    ]);
    expect(plan.problems).toEqual([{ file: 'a.iso', reason: 'part(s) 2 of 3 missing' }]);
    expect(parsePartName(partName('x.iso', 12, 1000))).toEqual({
      file: 'x.iso',
      index: 12,
      count: 1000,
    });
    expect(parsePartName('x.iso.part-004-of-003')).toBeNull();
    expect(parsePartName('x.iso.part-1-of-2')).toBeNull();
  });
});
