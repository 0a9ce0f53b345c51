// crossflake.json: defaults, and errors that name file, line, column and the
// JSON path of the bad value.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/command.js';
import {
  DEFAULT_TEAM_CONFIG,
  jsonPath,
  loadTeamConfig,
  TeamConfigError,
  validateTeamConfig,
} from '../../src/teamconfig/index.js';

function problems(text: string) {
  try {
    validateTeamConfig(text, 'crossflake.json');
  } catch (error) {
    expect(error).toBeInstanceOf(TeamConfigError);
    return (error as TeamConfigError).problems.map((p) => ({
      at: `${p.line}:${p.column}`,
      path: jsonPath(p.path),
      message: p.message,
    }));
  }
  throw new Error('expected the config to be rejected');
}

const json = (value: unknown) => JSON.stringify(value, null, 2);

describe('validateTeamConfig', () => {
  it('an empty object is the defaults', () => {
    expect(validateTeamConfig('{}', 'f')).toEqual(DEFAULT_TEAM_CONFIG);
    expect(DEFAULT_TEAM_CONFIG.ci).toMatchObject({
      providers: ['github'],
      cache: 'github',
      vm: { enable: false, checks: [] },
      smoke: { '*': 'true' },
    });
    expect(DEFAULT_TEAM_CONFIG.privacy.identifiers).toEqual([]);
  });

  it('reads every key', () => {
    const config = validateTeamConfig(
      json({
        $schema: './node_modules/crossflake/data/crossflake.schema.json',
        ci: {
          providers: ['github', 'gitlab'],
          rows: { 'linux-aarch64': false },
          cache: 'cachix',
          cachix: { name: 'company' },
          secrets: { cachixAuthToken: 'CACHIX_TOKEN' },
          smoke: { python: 'python --version' },
          extraSteps: [
            {
              name: 'lint',
              run: 'nix run .#lint',
              systems: ['x86_64-linux'],
              secrets: ['LINT_TOKEN'],
            },
          ],
          vm: { enable: true, checks: ['vm-boot'] },
          crossflakeCommand: 'nix run .#crossflake --',
        },
        privacy: { identifiers: ['alice', 'alice@example.com'] },
      }),
      'f',
    );
    expect(config.ci.cachixName).toBe('company');
    expect(config.ci.secrets.cachixAuthToken).toBe('CACHIX_TOKEN');
    expect(config.ci.smoke).toEqual({ '*': 'true', python: 'python --version' });
    expect(config.ci.extraSteps).toEqual([
      {
        name: 'lint',
        run: 'nix run .#lint',
        phase: 'after-check',
        systems: ['x86_64-linux'],
        secrets: ['LINT_TOKEN'],
      },
    ]);
    expect(config.privacy.identifiers).toEqual(['alice', 'alice@example.com']);
  });

  it('an unknown key: its path and line', () => {
    const text = '{\n  "ci": {\n    "cahce": "none"\n  }\n}\n';
    expect(problems(text)).toEqual([
      {
        at: '3:14',
        path: '$.ci.cahce',
        message: 'unknown key (not in data/crossflake.schema.json)',
      },
    ]);
  });

  it('a wrong enum value lists the allowed ones', () => {
    const [p] = problems(json({ ci: { cache: 'magic-nix-cache' } }));
    expect(p).toEqual({
      at: '3:14',
      path: '$.ci.cache',
      message: 'must be one of "none", "github", "cachix"',
    });
  });

  it('a missing required key inside an array item', () => {
    const [p] = problems(json({ ci: { extraSteps: [{ name: 'x', run: 'true' }, { name: 'y' }] } }));
    expect(p!.path).toBe('$.ci.extraSteps[1]');
    expect(p!.message).toMatch(/required property 'run'/);
    expect(p!.at).toBe('8:7');
  });

  it('a secret name that GitHub reserves, or that is a value rather than a name', () => {
    const found = problems(
      json({
        ci: {
          secrets: { cachixAuthToken: 'GITHUB_TOKEN' },
          extraSteps: [{ name: 'x', run: 'y', secrets: ['ghp_abc def'] }],
        },
      }),
    );
    expect(found.map((p) => p.path)).toEqual([
      '$.ci.secrets.cachixAuthToken',
      '$.ci.extraSteps[0].secrets[0]',
    ]);
  });

  it('cache "cachix" needs a cache name', () => {
    expect(problems(json({ ci: { cache: 'cachix' } })).map((p) => p.message)).toContain(
      "must have required property 'cachix'",
    );
  });

  it('privacy.identifiers must be strings', () => {
    const [p] = problems(json({ privacy: { identifiers: ['ok', 42] } }));
    expect(p).toMatchObject({ path: '$.privacy.identifiers[1]', message: 'must be string' });
  });

  it('row ids must exist in the support matrix and have a runner to be switched on', () => {
    const found = problems(
      json({ ci: { rows: { 'linux-sparc': true, 'wsl2-x86_64': true, 'linux-x86_64': true } } }),
    );
    expect(found.map((p) => [p.path, p.at])).toEqual([
      ['$.ci.rows["linux-sparc"]', '4:22'],
      ['$.ci.rows["wsl2-x86_64"]', '5:22'],
    ]);
    expect(found[0]!.message).toMatch(/unknown platform row \(known: linux-x86_64, /);
    expect(found[1]!.message).toMatch(/no hosted CI runner/);
  });

  it('broken JSON: the line and column where parsing stopped', () => {
    const [p] = problems('{\n  "ci": {\n    "cache": "none",\n  }\n}\n');
    expect(p!.path).toBe('$');
    expect(p!.at).toBe('4:3');
    expect(p!.message).toMatch(/not valid JSON/);
  });

  it('the error message names file, line, column and path', () => {
    expect(() => validateTeamConfig('{"ci":{"cache":1}}', '/repo/crossflake.json')).toThrow(
      /\/repo\/crossflake\.json:1:16: \$\.ci\.cache: must be one of/,
    );
  });
});

describe('loadTeamConfig (real files)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'crossflake-teamconfig-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('no crossflake.json: the defaults', async () => {
    expect(await loadTeamConfig(dir)).toEqual(DEFAULT_TEAM_CONFIG);
  });

  it('an invalid crossflake.json is a UserError naming the file and path', async () => {
    await writeFile(join(dir, 'crossflake.json'), json({ ci: { vm: { enable: 'yes' } } }));
    const error = await loadTeamConfig(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toContain(
      `${join(dir, 'crossflake.json')}:4:17: $.ci.vm.enable: must be boolean`,
    );
  });

  it('a valid crossflake.json is read', async () => {
    await writeFile(join(dir, 'crossflake.json'), json({ ci: { cache: 'none' } }));
    expect((await loadTeamConfig(dir)).ci.cache).toBe('none');
  });
});
