// Commands with YAML-significant characters must reach the runner unchanged:
// emit, parse back, compare. (A `:` inside a command broke a real team's CI.)
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CI_FILES, generateFiles } from '../../src/ci/generate.js';
import type { Workflow } from '../../src/ci/model.js';
import { toYaml } from '../../src/ci/yaml.js';
import { CONFIGS, makeInput } from './helpers/input.js';

const tricky = [
  'echo a: b',
  'echo "quoted: yes" # not a comment',
  'echo \'single\' "double" `back`',
  '- starts with a dash',
  ': starts with a colon',
  '# starts with a hash',
  '{ flow: mapping }',
  '[a, b]',
  '*alias &anchor !tag',
  'true',
  '0123',
  'null',
  '~',
  '@reserved',
  '%directive',
  'trailing space ',
  ' leading space',
  'multi\nline: with colon\n  # indented hash\n',
  'tab\there',
  '${{ matrix.system }}: x',
  'unicode: ✓ é',
];

describe('YAML emission round-trips commands', () => {
  it.each(tricky)('%j', (command) => {
    const text = toYaml({ steps: [{ name: command, run: command }] }, ['header']);
    expect(parse(text)).toEqual({ steps: [{ name: command, run: command }] });
  });

  it('extra steps and smoke commands from the team config survive generation byte for byte', () => {
    const config = CONFIGS['extra-steps']!;
    const [ci] = generateFiles(makeInput('full', config), 'github');
    expect(ci!.path).toBe(CI_FILES.ci);
    const steps = (parse(ci!.content) as Workflow).jobs.check!.steps;
    for (const extra of config.ci!.extraSteps!) {
      const step = steps.find((s) => s.name === extra.name);
      expect(step?.run).toBe(extra.run);
    }
    const python = steps.find((s) => s.run?.startsWith('nix develop .#python'));
    expect(python?.run).toBe("nix develop .#python --command python -c 'print(1)'");
    const other = steps.find((s) => s.run?.startsWith('nix develop .#rust'));
    expect(other?.run).toBe('nix develop .#rust --command echo "shell: ok # really"');
  });

  it('extra steps honour phase, systems and secrets', () => {
    const [ci] = generateFiles(makeInput('full', CONFIGS['extra-steps']), 'github');
    const steps = (parse(ci!.content) as Workflow).jobs.check!.steps;
    const names = steps.map((s) => s.name);
    expect(names.indexOf('lint: statix # strict')).toBeLessThan(names.indexOf('nix flake check'));
    expect(names.indexOf('publish docs')).toBeGreaterThan(names.indexOf('nix flake check'));
    const docs = steps.find((s) => s.name === 'publish docs')!;
    expect(docs.if).toBe("matrix.system == 'x86_64-linux'");
    expect(docs.env).toEqual({ DOCS_TOKEN: '${{ secrets.DOCS_TOKEN }}' });
    expect(steps.find((s) => s.name === 'Templates')?.run).toBe(
      'nix run github:company/crossflake -- init --test',
    );
  });

  it('the header is a comment block and does not change the document', () => {
    const text = toYaml({ a: 1 }, ['line one', '', 'line: three']);
    expect(text.split('\n').slice(0, 3)).toEqual(['# line one', '#', '# line: three']);
    expect(parse(text)).toEqual({ a: 1 });
  });
});
