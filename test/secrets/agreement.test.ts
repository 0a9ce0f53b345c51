// The three places crossflake looks for secrets agree on every fake secret
// and every look-alike: extract's labels (analyze), check's leak scan
// (nix/ and templates/ of a repository on disk) and the release privacy gate
// (a real .tar.xz made by tar and xz). All three run the one detector.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { leakScan } from '../../src/check/steps/leaks.js';
import { analyze } from '../../src/extract/analyze.js';
import type { AnalysisReport } from '../../src/extract/model.js';
import { scanPublishedFile, type PrivacyHit } from '../../src/images/privacy-scan.js';
import { asNix, fakeSecrets, lookAlikes, placements } from './corpus.js';

interface Case {
  name: string;
  where: string;
  /** The text as a user writes it (an env line raw), and as a .nix file. */
  raw: string;
  nix: string;
  /** File name stem shared by the three scans. */
  file: string;
}

const secretCases: Case[] = fakeSecrets().flatMap((s, i) =>
  placements(s.text).map((p, k) => ({
    name: `${s.provider} #${i}`,
    where: p.where,
    raw: p.text,
    nix: asNix(p.where, p.text),
    file: `s${i}-${k}`,
  })),
);

const lookAlikeCases: Case[] = lookAlikes().map((l, i) => ({
  name: l.what,
  where: 'multi-line text',
  raw: `${l.text}\n`,
  nix: `{\n  environment.etc."demo".text = ''\n    ${l.text}\n  '';\n}\n`,
  file: `l${i}`,
}));

const all = [...secretCases, ...lookAlikeCases];

let dir: string;
let report: AnalysisReport;
let leakLines: string[];
let gateHits: PrivacyHit[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cf-agree-'));
  // extract: one analysis of every case as a module file.
  report = analyze(
    all.map((c) => ({ path: `modules/${c.file}.nix`, bytes: c.nix })),
    { root: dir },
  );
  // check: the same .nix files under nix/, and each raw text under templates/.
  await mkdir(join(dir, 'repo/nix'), { recursive: true });
  await mkdir(join(dir, 'repo/templates/demo'), { recursive: true });
  await mkdir(join(dir, 'image/etc'), { recursive: true });
  for (const c of all) {
    await writeFile(join(dir, 'repo/nix', `${c.file}.nix`), c.nix);
    await writeFile(join(dir, 'repo/templates/demo', `${c.file}.txt`), c.raw);
    await writeFile(join(dir, 'image/etc', `${c.file}.txt`), c.raw);
  }
  const outcome = await leakScan.run({ dir: join(dir, 'repo'), io: {} as never });
  leakLines = outcome.output.split('\n').filter((l) => l !== '');
  // the privacy gate: the raw texts as members of a .tar.xz image.
  execFileSync('tar', ['-C', join(dir, 'image'), '-cJf', join(dir, 'image.tar.xz'), '.']);
  gateHits = await scanPublishedFile(join(dir, 'image.tar.xz'), 'image.tar.xz', {
    identifiers: [],
    localPaths: [],
    anyAbsolutePath: false,
  });
}, 300_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

const label = (c: Case) => report.files.find((f) => f.path === `modules/${c.file}.nix`)?.label;
const leaks = (c: Case, root: string, ext: string) =>
  leakLines.filter((l) => l.startsWith(`${root}/${c.file}.${ext}:`) && / secrets: /.test(l));
const gate = (c: Case) =>
  gateHits.filter((h) => h.path === `./etc/${c.file}.txt` && h.kind === 'secret');

describe('every fake secret: labelled secret, a leak, stopped by the gate', () => {
  for (const c of secretCases) {
    it(`${c.name} in a ${c.where}`, () => {
      expect(label(c)).toBe('secret');
      expect(leaks(c, 'nix', 'nix').length).toBeGreaterThan(0);
      expect(leaks(c, 'templates/demo', 'txt').length).toBeGreaterThan(0);
      expect(gate(c).length).toBeGreaterThan(0);
    });
  }
});

describe('no look-alike is a secret for any of the three', () => {
  for (const c of lookAlikeCases) {
    it(c.name, () => {
      expect(label(c)).not.toBe('secret');
      const evidence = report.files.find((f) => f.path === `modules/${c.file}.nix`)?.evidence ?? [];
      expect(evidence.filter((e) => e.rule === 'secrets').map((e) => e.text)).toEqual([]);
      expect(leaks(c, 'nix', 'nix')).toEqual([]);
      expect(leaks(c, 'templates/demo', 'txt')).toEqual([]);
      expect(gate(c)).toEqual([]);
    });
  }
});

describe('nothing any of them prints holds a secret', () => {
  it('leak scan output and gate hits are masked', () => {
    const printed = [...leakLines, ...gateHits.map((h) => h.text)].join('\n');
    for (const s of fakeSecrets()) expect(printed).not.toContain(s.text);
    for (const f of report.files)
      for (const e of f.evidence) {
        for (const s of fakeSecrets()) expect(e.text).not.toContain(s.text);
      }
  });
});
