// Differential test: our parser + printer against the real Nix parser
// (`nix-instantiate --parse`, Nix 2.8). For each corpus file, both accept it
// and print the same AST, or both reject it.
import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { NixSymbols, parseNix, printNixParse } from '../../src/nixlang/index.js';
import { needsNix, nixVersion } from '../helpers/nix.js';
import { canonicalOrder, nixParseMany } from './oracle.js';
import {
  generatedCorpus,
  hostCorpus,
  makeCorpusDir,
  mutatedCorpus,
  soupCorpus,
  type CorpusFile,
} from './corpus.js';

const home = process.env.HOME ?? '/';
const GENERATED = Number(process.env.NIXLANG_PROGRAMS ?? 2000);
const seed = Number(process.env.NIXLANG_SEED ?? Math.floor(Math.random() * 1e9));

interface Outcome {
  mismatches: string[];
  exact: number;
  accepted: number;
  rejected: number;
}

async function compare(files: CorpusFile[]): Promise<Outcome> {
  const verdicts = await nixParseMany(files.map((f) => f.path));
  const outcome: Outcome = { mismatches: [], exact: 0, accepted: 0, rejected: 0 };
  // Replay each nix process's files in its order, sharing names like nix does.
  const order = (f: CorpusFile) => verdicts.get(f.path)!;
  const sorted = [...files].sort(
    (a, b) => order(a).run - order(b).run || order(a).index - order(b).index,
  );
  const symbols = new Map<number, NixSymbols>();
  for (const f of sorted) {
    const nix = verdicts.get(f.path)!;
    if (!symbols.has(nix.run)) symbols.set(nix.run, new NixSymbols());
    const tree = parseNix(f.bytes);
    const source = JSON.stringify(f.bytes.toString('utf8'));
    if (!nix.ok) {
      outcome.rejected++;
      if (tree.diagnostics.length === 0) {
        outcome.mismatches.push(
          `${f.label}: nix rejects, we accept\n  source: ${source}\n  nix: ${nix.error.split('\n')[0]}`,
        );
      }
      continue;
    }
    outcome.accepted++;
    if (tree.diagnostics.length > 0) {
      const d = tree.diagnostics[0]!;
      outcome.mismatches.push(
        `${f.label}: nix accepts, we report ${d.line}:${d.column} ${d.message}\n  source: ${source}`,
      );
      continue;
    }
    const ours = printNixParse(tree, {
      basePath: dirname(f.path),
      home,
      symbols: symbols.get(nix.run)!,
    });
    if (ours === nix.out) outcome.exact++;
    else if (canonicalOrder(ours) !== canonicalOrder(nix.out)) {
      outcome.mismatches.push(
        `${f.label}: prints differ\n  source: ${source}\n  ours: ${ours}\n  nix:  ${nix.out}`,
      );
    }
  }
  return outcome;
}

function report(name: string, o: Outcome): void {
  console.info(
    `${name}: nix accepts ${o.accepted}, rejects ${o.rejected}; identical bytes ${o.exact}/${o.accepted} ` +
      '(the rest differ only in the order of formals/let lists)',
  );
}

describe.skipIf(!nixVersion)(`nix-instantiate --parse agrees with our parser${needsNix}`, () => {
  const dir = makeCorpusDir();
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('on every .nix file of this repository, including the hand-written edge cases', async () => {
    const files = hostCorpus(dir);
    expect(files.length).toBeGreaterThanOrEqual(150);
    const outcome = await compare(files);
    report('repository', outcome);
    expect(outcome.mismatches.slice(0, 10)).toEqual([]);
    // Both verdicts occur: the edge cases include files Nix rejects.
    expect(outcome.accepted).toBeGreaterThan(100);
    expect(outcome.rejected).toBeGreaterThan(10);
  });

  it(`on ${GENERATED} programs generated from the grammar (seed ${seed})`, async () => {
    const files = generatedCorpus(dir, seed, GENERATED);
    const outcome = await compare(files);
    report('generated', outcome);
    if (outcome.mismatches.length > 0) {
      console.error(`generated corpus seed: ${seed} (rerun with NIXLANG_SEED=${seed})`);
    }
    expect(outcome.mismatches.slice(0, 5)).toEqual([]);
    expect(outcome.accepted).toBeGreaterThan(GENERATED / 4);
  });

  it(`on ${GENERATED / 10} damaged programs (seed ${seed})`, async () => {
    const files = mutatedCorpus(dir, seed, GENERATED / 10);
    const outcome = await compare(files);
    if (outcome.mismatches.length > 0) {
      console.error(`mutated corpus seed: ${seed} (rerun with NIXLANG_SEED=${seed})`);
    }
    expect(outcome.mismatches.slice(0, 5)).toEqual([]);
    expect(outcome.rejected).toBeGreaterThan(GENERATED / 40);
  });

  it(`on ${GENERATED / 20} token soups (seed ${seed})`, async () => {
    const files = soupCorpus(dir, seed, GENERATED / 20);
    const outcome = await compare(files);
    if (outcome.mismatches.length > 0) {
      console.error(`token soup seed: ${seed} (rerun with NIXLANG_SEED=${seed})`);
    }
    expect(outcome.mismatches.slice(0, 5)).toEqual([]);
    expect(outcome.accepted).toBeGreaterThan(0);
  });
});
