// The secret scan on its own thread (src/extract/secret-scan.ts), with the
// real worker of the build: dist/extract-secret-worker.js (run `npm run build`
// first). Whether the scan ran there, ran here, or the worker gave up halfway,
// the report is the same.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { analyze, type SourceFile } from '../../src/extract/analyze.js';
import type { AnalysisReport } from '../../src/extract/model.js';
import {
  builtSecretWorker,
  startSecretScan,
  type SecretScan,
} from '../../src/extract/secret-scan.js';
import { scanNixFiles } from '../../src/io/nix-files.js';
import { fixtureDir } from './corpus.js';

const built = builtSecretWorker(new URL('../../dist/cli.js', import.meta.url).href);
const scratch = mkdtempSync(join(tmpdir(), 'crossflake-secret-scan-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The analysis with the scan's findings, and what each lookup gave (null: scan here). */
function analyzeWith(
  files: SourceFile[],
  root: string,
  scan: SecretScan,
): { report: AnalysisReport; looked: (number | null)[] } {
  const looked: (number | null)[] = [];
  const report = analyze(files, {
    root,
    secretScan: (i) => {
      const found = scan.lookup(i);
      looked.push(found === null ? null : found.length);
      return found;
    },
  });
  scan.stop();
  return { report, looked };
}

// Repos with key and token material planted in them.
const REPOS = ['dendritic', 'flake-parts', 'beginner'];

describe('the secret scan on a worker thread', () => {
  it('the build has the worker', () => {
    expect(built).not.toBeNull();
  });

  for (const name of REPOS) {
    it(`gives the same report for ${name} as the scan on the main thread`, async () => {
      const files = await scanNixFiles(fixtureDir(name));
      const root = fixtureDir(name);
      const scan = startSecretScan(
        files.map((f) => f.bytes),
        built,
        { force: true },
      )!;
      const { report, looked } = analyzeWith(files, root, scan);
      // Every file's findings came from the worker, and it found the planted material.
      expect(looked).toHaveLength(files.length);
      expect(looked.every((n) => n !== null)).toBe(true);
      expect(looked.some((n) => n! > 0)).toBe(true);
      expect(JSON.stringify(report, null, 2)).toBe(
        JSON.stringify(analyze(files, { root }), null, 2),
      );
    });
  }

  it('scans on the main thread when the worker fails, with the same report', async () => {
    const broken = join(scratch, 'broken-worker.mjs');
    writeFileSync(broken, 'throw new Error("this worker cannot start");\n');
    const files = await scanNixFiles(fixtureDir('dendritic'));
    const root = fixtureDir('dendritic');
    const scan = startSecretScan(
      files.map((f) => f.bytes),
      pathToFileURL(broken),
      { force: true, stallMs: 200 },
    )!;
    const { report, looked } = analyzeWith(files, root, scan);
    expect(looked.every((n) => n === null)).toBe(true);
    expect(report).toEqual(analyze(files, { root }));
  });

  it('is not started for a small repository', async () => {
    const files = await scanNixFiles(fixtureDir('plain'));
    expect(
      startSecretScan(
        files.map((f) => f.bytes),
        built,
      ),
    ).toBeNull();
  });
});
