// The differential corpus: hand-written edge cases, every .nix file of this
// repository, and generated programs, written into one temp directory so nix
// and our printer resolve relative paths against the same base.
import {
  mkdtempSync,
  readFileSync,
  lstatSync,
  readdirSync,
  realpathSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Generator, mutate, soup } from './generator.js';

export const FIXTURES = 'test/fixtures/nixlang';

export interface CorpusFile {
  /** Where it came from: fixture name, repo path, or generated seed. */
  label: string;
  /** Absolute path of the copy nix parses. */
  path: string;
  bytes: Buffer;
}

export function repoNixFiles(root = '.'): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      // .cache holds the Windows lane's Wine prefix, whose z: is a link to /.
      if (['node_modules', '.git', 'dist', '.work', '.cache'].includes(name)) continue;
      const p = join(dir, name);
      const info = lstatSync(p);
      if (info.isDirectory()) walk(p);
      else if (name.endsWith('.nix')) out.push(relative(root, p));
    }
  };
  walk(root);
  return out.sort();
}

export function makeCorpusDir(): string {
  return realpathSync(mkdtempSync(join(tmpdir(), 'cf-nixlang-')));
}

export function addFile(dir: string, label: string, name: string, bytes: Buffer): CorpusFile {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return { label, path, bytes };
}

export function hostCorpus(dir: string): CorpusFile[] {
  return repoNixFiles().map((f, i) => addFile(dir, f, `repo-${i}.nix`, readFileSync(f)));
}

export function generatedCorpus(dir: string, seed: number, count: number): CorpusFile[] {
  const files: CorpusFile[] = [];
  for (let i = 0; i < count; i++) {
    const program = new Generator(seed + i).program();
    files.push(
      addFile(dir, `generated seed ${seed + i}`, `gen-${i}.nix`, Buffer.from(program, 'utf8')),
    );
  }
  return files;
}

/** Generated programs with random damage: most are rejected, some still parse. */
export function mutatedCorpus(dir: string, seed: number, count: number): CorpusFile[] {
  const files: CorpusFile[] = [];
  // Half start from the hand-written edge cases, which hold the rare constructs.
  const fixtures = readdirSync(FIXTURES).sort();
  for (let i = 0; i < count; i++) {
    const base =
      i % 2 === 0
        ? readFileSync(join(FIXTURES, fixtures[(seed + i) % fixtures.length]!), 'utf8')
        : new Generator(seed + i).program();
    const program = mutate(base, seed + i);
    files.push(
      addFile(dir, `mutated seed ${seed + i}`, `mut-${i}.nix`, Buffer.from(program, 'utf8')),
    );
  }
  return files;
}

/** Token soups: short random runs of fragments where lexing decisions are made. */
export function soupCorpus(dir: string, seed: number, count: number): CorpusFile[] {
  const files: CorpusFile[] = [];
  for (let i = 0; i < count; i++) {
    files.push(
      addFile(dir, `soup seed ${seed + i}`, `soup-${i}.nix`, Buffer.from(soup(seed + i), 'utf8')),
    );
  }
  return files;
}
