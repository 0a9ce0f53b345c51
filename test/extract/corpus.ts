// The labelled corpus: the fixture repos under test/fixtures/extract, each
// with a hand-written answers.json, analysed from disk.
import { readFileSync } from 'node:fs';
import { analyze } from '../../src/extract/analyze.js';
import { scanNixFiles } from '../../src/io/nix-files.js';
import type { AnalysisReport, Label, Platform } from '../../src/extract/model.js';

export const REPOS = [
  'plain',
  'flake-parts',
  'dendritic',
  'mixed',
  'heldout',
  'beginner',
  'snowfall',
  'servers',
  'desktop',
  'wsl',
  'macos',
  'sops-wsl',
  'agenix-templates',
] as const;

export interface Answer {
  label: Label;
  platform?: Platform;
  needsParameters?: boolean;
  notAModule?: boolean;
}

export function fixtureDir(name: string): string {
  return `test/fixtures/extract/${name}`;
}

export function answers(name: string): Record<string, Answer> {
  return (
    JSON.parse(readFileSync(`${fixtureDir(name)}/answers.json`, 'utf8')) as {
      files: Record<string, Answer>;
    }
  ).files;
}

export async function analyzeFixture(
  name: string,
  identifiers: string[] = [],
): Promise<AnalysisReport> {
  return analyze(await scanNixFiles(fixtureDir(name)), { root: fixtureDir(name), identifiers });
}
