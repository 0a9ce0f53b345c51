import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { Ajv2020 as Ajv } from 'ajv/dist/2020.js';
import { run } from '../../src/cli.js';
import type { Io } from '../../src/command.js';
import { REPOS, fixtureDir } from './corpus.js';

const schema = JSON.parse(readFileSync('data/extract-report.schema.json', 'utf8')) as object;

// Secret values planted in the fixtures; no output format may ever contain them.
const PLANTED = [
  'correct-horse-battery-staple',
  'ghp_Abcdefghijklmnopqrstuvwxyz0123456789',
  'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ',
];

async function extract(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    stdout: { write: (c: string) => (stdout += c) },
    stderr: { write: (c: string) => (stderr += c) },
    stdin: new PassThrough(),
    env: process.env,
    cwd: process.cwd(),
  };
  const code = await run(['extract', ...args], io);
  return { code, stdout, stderr };
}

describe('crossflake extract analyze/plan output', () => {
  it('--json has one entry per .nix file and validates against data/extract-report.schema.json', async () => {
    const validate = new Ajv({ strict: true, allowUnionTypes: true }).compile(schema);
    for (const repo of REPOS) {
      const res = await extract(['analyze', fixtureDir(repo), '--json']);
      expect(res.code).toBe(0);
      const report = (
        JSON.parse(res.stdout) as { analysis: { files: { path: string; label: string }[] } }
      ).analysis;
      expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
      const answers = JSON.parse(readFileSync(`${fixtureDir(repo)}/answers.json`, 'utf8')) as {
        files: object;
      };
      expect(report.files.map((f) => f.path).sort()).toEqual(Object.keys(answers.files).sort());
    }
  });

  it('the schema rejects an unknown label', () => {
    const validate = new Ajv({ strict: true, allowUnionTypes: true }).compile(schema);
    const bad = {
      schema: 'crossflake.extract.analysis/1',
      root: '.',
      identifiers: { users: [], hosts: [], emails: [], domains: [], names: [], extra: [] },
      files: [
        {
          path: 'a.nix',
          kind: 'module',
          label: 'maybe',
          moduleClass: 'nixos',
          needsParameters: false,
          parameters: [],
          evidence: [],
          diagnostics: [],
          imports: [],
        },
      ],
      edges: [],
      exports: [],
      configurations: [],
      autoImports: [],
      summary: {
        'shareable-base': 0,
        'platform-adapter': 0,
        'host-specific': 0,
        personal: 0,
        secret: 0,
      },
    };
    expect(validate(bad)).toBe(false);
  });

  it('never prints a planted secret, in any format', async () => {
    for (const repo of REPOS) {
      for (const args of [
        ['analyze', '--json'],
        ['analyze', '--md'],
        ['analyze', '--mermaid'],
        ['analyze'],
        ['plan', '--md'],
        ['plan', '--json'],
        ['plan'],
      ]) {
        const res = await extract([args[0]!, fixtureDir(repo), ...args.slice(1)]);
        expect(res.code).toBe(0);
        for (const secret of PLANTED)
          expect(res.stdout, `${repo} ${args.join(' ')}`).not.toContain(secret);
      }
    }
  });

  it('--md shows evidence with file:line:column; --mermaid is a flowchart of layers and imports', async () => {
    const md = (await extract(['analyze', fixtureDir('plain'), '--md'])).stdout;
    expect(md).toContain('## modules/wifi.nix');
    expect(md).toMatch(
      /\| secrets \| modules\/wifi\.nix:4:5 \| `networking\.wireless\.networks\.HomeNet\.psk = <plaintext, 28 chars, masked>` \|/,
    );
    expect(md).toContain('-> option `crossflake.user.email`');
    const mermaid = (await extract(['analyze', fixtureDir('plain'), '--mermaid'])).stdout;
    expect(mermaid.startsWith('flowchart LR\n')).toBe(true);
    expect(mermaid).toContain('subgraph');
    expect(mermaid).toMatch(/f\d+ --> f\d+/);
  });

  it('--identifier adds a value to look for', async () => {
    const res = await extract([
      'analyze',
      fixtureDir('plain'),
      '--json',
      '--identifier',
      'HomeNet',
    ]);
    const report = (
      JSON.parse(res.stdout) as {
        analysis: {
          identifiers: { extra: string[] };
          files: { path: string; evidence: { rule: string; text: string }[] }[];
        };
      }
    ).analysis;
    expect(report.identifiers.extra).toEqual(['HomeNet']);
    const wifi = report.files.find((f) => f.path === 'modules/wifi.nix')!;
    expect(
      wifi.evidence.some((e) => e.rule === 'personal-identifiers' && e.text === 'HomeNet'),
    ).toBe(true);
  });

  it('exits 2 with a clear message on bad input', async () => {
    expect(await extract(['analyze'])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/name the repository/),
    });
    expect(await extract(['analyze', 'no/such/dir'])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/not a directory/),
    });
    expect(await extract(['frobnicate', '.'])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/unknown subcommand/),
    });
    expect(await extract(['analyze', '.', '--json', '--md'])).toMatchObject({ code: 2 });
    expect(await extract(['plan', fixtureDir('plain'), '--input', '../x'])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/--input/),
    });
    expect(await extract(['apply', fixtureDir('plain'), '--shared', '.'])).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/--step/),
    });
  });
});
