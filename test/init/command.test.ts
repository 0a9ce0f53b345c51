import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { appendFile, cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { needsNix, nixEnv, nixVersion } from '../helpers/nix.js';
import { cli, LOCAL_FLAKE } from './helpers.js';
import { scratchDirs } from '../helpers/scratch.js';

const { work, fresh } = await scratchDirs('cf-init-');

// A git identity of its own, so defaults never come from the developer's.
const gitConfig = join(work, 'gitconfig');
await writeFile(gitConfig, '[user]\n\tname = Ada Lovelace\n\temail = ada@example.org\n');
const env = { GIT_CONFIG_GLOBAL: gitConfig, GIT_CONFIG_NOSYSTEM: '1' };

describe('crossflake init (built CLI)', () => {
  it('--list --json names every template with its parameters', async () => {
    const res = cli(['init', '--list', '--json'], await fresh(), env);
    expect(res.status).toBe(0);
    const list = (
      JSON.parse(res.stdout) as { templates: { name: string; parameters: { name: string }[] }[] }
    ).templates;
    expect(list.map((t) => t.name)).toEqual([
      'bare-metal',
      'darwin',
      'team',
      'wsl-home',
      'wsl-nixos',
    ]);
    expect(list.find((t) => t.name === 'darwin')!.parameters.map((p) => p.name)).toContain(
      'system',
    );
  });

  it('writes a configuration from flags, git config and defaults, and prints the next commands', async () => {
    const cwd = await fresh();
    const res = cli(
      [
        'init',
        'wsl-nixos',
        'cfg',
        '--non-interactive',
        '--json',
        '-p',
        'username=ada',
        '-p',
        'hostname=box',
        '--flake',
        'github:acme/cfg',
      ],
      cwd,
      env,
    );
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    const out = JSON.parse(res.stdout) as {
      mode: string;
      files: string[];
      parameters: Record<string, unknown>;
      nextCommands: string[][];
    };
    expect(out.mode).toBe('created');
    expect(out.files).toEqual(['README.md', 'configuration.nix', 'flake.nix', 'home.nix']);
    expect(out.parameters).toMatchObject({
      username: 'ada',
      hostname: 'box',
      fullName: 'Ada Lovelace',
      email: 'ada@example.org',
      sharedFlake: 'github:acme/cfg',
    });
    // Argument arrays; a line that needs a shell runs through sh -c.
    expect(out.nextCommands).toEqual([
      ['cd', 'cfg'],
      ['sh', '-c', 'git init -q && git add -A'],
      ['sudo', 'nixos-rebuild', 'boot', '--flake', '.#box'],
      ['sh', '-c', 'wsl -t NixOS; wsl -d NixOS --user root exit; wsl -t NixOS'],
    ]);
    const flake = await readFile(join(cwd, 'cfg', 'flake.nix'), 'utf8');
    expect(flake).toContain('url = "github:acme/cfg";');
    expect(flake).toContain('fullName = "Ada Lovelace";');
    expect(await readdir(cwd)).toEqual(['cfg']);
  });

  it('prints a readable summary without --json', async () => {
    const cwd = await fresh();
    const res = cli(
      [
        'init',
        'darwin',
        'mac',
        '--non-interactive',
        '-p',
        'hostname=mbp',
        '-p',
        'system=x86_64-darwin',
        '--flake',
        LOCAL_FLAKE,
      ],
      cwd,
      env,
    );
    expect(res.status).toBe(0);
    expect(res.stdout).toMatch(/^Created .*\/mac from template darwin \(4 files\)\./);
    expect(res.stdout).toContain('  sudo darwin-rebuild switch --flake .#mbp\n');
    expect(await readFile(join(cwd, 'mac', 'flake.nix'), 'utf8')).toContain(
      'system = "x86_64-darwin";',
    );
  });

  const hostile: [string, string, RegExp][] = [
    ['username', '../x', /parameter 'username' must not contain '\.\.' \(rule: a POSIX user name/],
    ['username', 'a"b', /parameter 'username' must not contain quotes.*\(rule: /],
    [
      'hostname',
      '$(touch pwned)',
      /parameter 'hostname' must not contain quotes, '\$'.*\(rule: a host name/,
    ],
    ['email', 'a@b.org\nroot', /parameter 'email' must be one line.*\(rule: an e-mail address/],
    [
      'hostname',
      'h'.repeat(300),
      /parameter 'hostname' is 300 characters long; at most 63.*\(rule: /,
    ],
    ['username', 'root', /parameter 'username' must not be "root" \(rule: .*not root\)/],
    ['timezone', '../../etc/passwd', /parameter 'timezone' must not contain '\.\.'/],
  ];
  for (const [name, value, message] of hostile) {
    it(`refuses ${name}=${JSON.stringify(value.slice(0, 16))} and writes nothing`, async () => {
      const cwd = await fresh();
      const res = cli(
        [
          'init',
          'bare-metal',
          'cfg',
          '--non-interactive',
          '--flake',
          LOCAL_FLAKE,
          '-p',
          `${name}=${value}`,
        ],
        cwd,
        env,
      );
      expect(res.status).toBe(2);
      expect(res.stderr).toMatch(/crossflake init: nothing written:/);
      expect(res.stderr).toMatch(message);
      expect(await readdir(cwd)).toEqual([]);
    });
  }

  it('refuses a non-empty directory unless --force, which keeps the other files', async () => {
    const cwd = await fresh();
    await mkdir(join(cwd, 'cfg'));
    await writeFile(join(cwd, 'cfg', 'flake.nix'), 'mine');
    await writeFile(join(cwd, 'cfg', 'notes'), 'keep');
    const refused = cli(
      ['init', 'wsl-home', 'cfg', '--non-interactive', '--flake', LOCAL_FLAKE],
      cwd,
      env,
    );
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/cfg is not empty; use --force/);
    expect(await readFile(join(cwd, 'cfg', 'flake.nix'), 'utf8')).toBe('mine');
    const forced = cli(
      ['init', 'wsl-home', 'cfg', '--non-interactive', '--force', '--flake', LOCAL_FLAKE],
      cwd,
      env,
    );
    expect(forced.status).toBe(0);
    expect(forced.stdout).toContain('Replaced: flake.nix');
    expect(await readFile(join(cwd, 'cfg', 'notes'), 'utf8')).toBe('keep');
    expect(await readFile(join(cwd, 'cfg', 'flake.nix'), 'utf8')).toContain('homeConfigurations');
  });

  it('--git makes a repository with one commit and drops the git step from the next commands', async () => {
    const cwd = await fresh();
    const res = cli(
      [
        'init',
        'team',
        'team',
        '--non-interactive',
        '--git',
        '--json',
        '-p',
        'teamName=acme',
        '--flake',
        LOCAL_FLAKE,
      ],
      cwd,
      env,
    );
    expect(res.status).toBe(0);
    const out = JSON.parse(res.stdout) as { git: unknown; nextCommands: string[][] };
    expect(out.git).toEqual({ initialized: true, committed: true });
    expect(out.nextCommands).toEqual([
      ['cd', 'team'],
      ['nix', 'flake', 'lock'],
      ['nix', 'build', '.#acme-work-base-qcow2'],
    ]);
    const log = execFileSync('git', ['log', '--format=%an %s'], {
      cwd: join(cwd, 'team'),
      env: { ...process.env, ...env },
      encoding: 'utf8',
    });
    expect(log).toBe('Ada Lovelace Initial configuration from crossflake template team\n');
    const tracked = execFileSync('git', ['ls-files'], { cwd: join(cwd, 'team'), encoding: 'utf8' });
    expect(tracked.split('\n')).toContain('templates/colleague/flake.nix');
  });

  it('an unknown template or a missing name lists the templates', async () => {
    const cwd = await fresh();
    const unknown = cli(['init', '../etc'], cwd, env);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(
      /no template '\.\.\/etc'; there are: bare-metal, darwin, team, wsl-home, wsl-nixos/,
    );
    const missing = cli(['init'], cwd, env);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/which template\?/);
  });

  it('--flake on a template without sharedFlake, or together with --param sharedFlake, is refused', async () => {
    const cwd = await fresh();
    const both = cli(
      ['init', 'darwin', 'x', '--flake', 'github:a/b', '-p', 'sharedFlake=github:c/d'],
      cwd,
      env,
    );
    expect(both.status).toBe(2);
    expect(both.stderr).toMatch(/not both/);
  });

  it('without a sharedFlake, --non-interactive writes nothing: one line naming it and where it comes from, exit 2', async () => {
    const cwd = await fresh();
    const res = cli(
      ['init', 'wsl-home', 'cfg', '--non-interactive', '-p', 'username=ada'],
      cwd,
      env,
    );
    expect(res.status).toBe(2);
    expect(res.stderr).toMatch(
      /^crossflake init: nothing written: 'sharedFlake' \(.*\) has no default: give --flake <flake-ref> or -p sharedFlake=<flake-ref> \(.*\), or set templates\.sharedFlake in crossflake\.json\n$/,
    );
    expect(await readdir(cwd)).toEqual([]);
    // --json (never asks) is no way around it either.
    const json = cli(['init', 'wsl-home', 'cfg', '--json'], cwd, env);
    expect(json.status).toBe(2);
    expect((JSON.parse(json.stdout) as { error: { message: string } }).error.message).toMatch(
      /'sharedFlake'/,
    );
  });

  it("takes sharedFlake from the team's crossflake.json above the directory; --flake wins over it", async () => {
    const team = await fresh();
    await writeFile(
      join(team, 'crossflake.json'),
      JSON.stringify({ templates: { sharedFlake: 'github:acme/team-config' } }),
    );
    await mkdir(join(team, 'people'));
    const cwd = join(team, 'people');
    const res = cli(['init', 'wsl-home', 'ada', '--non-interactive', '--json'], cwd, env);
    expect(res.status, res.stderr).toBe(0);
    expect(JSON.parse(res.stdout).parameters.sharedFlake).toBe('github:acme/team-config');
    const flake = await readFile(join(cwd, 'ada', 'flake.nix'), 'utf8');
    expect(flake).toContain('url = "github:acme/team-config";');
    expect(flake).not.toContain('YOUR-ORG');
    const over = cli(
      ['init', 'wsl-home', 'grace', '--non-interactive', '--json', '--flake', LOCAL_FLAKE],
      cwd,
      env,
    );
    expect(JSON.parse(over.stdout).parameters.sharedFlake).toBe(LOCAL_FLAKE);
  });

  it('with sharedFlake given, the team config is not read: a broken one above is no error', async () => {
    const cwd = await fresh();
    await writeFile(join(cwd, 'crossflake.json'), '{ not json');
    const given = cli(
      ['init', 'wsl-home', 'cfg', '--non-interactive', '--flake', LOCAL_FLAKE],
      cwd,
      env,
    );
    expect(given.status, given.stderr).toBe(0);
    // Asked for it (sharedFlake not given), the same file is reported.
    const asked = cli(['init', 'wsl-home', 'other', '--non-interactive'], cwd, env);
    expect(asked.status).not.toBe(0);
    expect(asked.stderr).toContain('crossflake.json');
    expect(asked.stderr).not.toMatch(/internal error/);
  });

  it("a team config value that breaks the template's rule is refused, naming the parameter", async () => {
    const cwd = await fresh();
    await writeFile(
      join(cwd, 'crossflake.json'),
      JSON.stringify({ templates: { sharedFlake: 'https://example.org/x' } }),
    );
    const res = cli(['init', 'wsl-home', 'cfg', '--non-interactive'], cwd, env);
    expect(res.status).toBe(2);
    expect(res.stderr).toMatch(/parameter 'sharedFlake' does not fit: "https:\/\/example\.org\/x"/);
    expect(await readdir(cwd)).toEqual(['crossflake.json']);
  });

  it('--list --json marks sharedFlake as required, with no default', async () => {
    const res = cli(['init', '--list', '--json'], await fresh(), env);
    const { templates: list } = JSON.parse(res.stdout) as {
      templates: {
        name: string;
        parameters: { name: string; default?: unknown; required?: boolean }[];
      }[];
    };
    for (const t of list) {
      const shared = t.parameters.find((p) => p.name === 'sharedFlake')!;
      expect(shared, t.name).toEqual(expect.objectContaining({ required: true }));
      expect(shared).not.toHaveProperty('default');
    }
  });

  it('a broken template in --templates-dir is reported with its file, exit 1', async () => {
    const cwd = await fresh();
    await mkdir(join(cwd, 'tpl', 'mine'), { recursive: true });
    await writeFile(join(cwd, 'tpl', 'mine', 'template.json'), '{"name": "mine"}');
    const res = cli(['init', '--list', '--templates-dir', 'tpl'], cwd, env);
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(
      /tpl\/mine\/template\.json does not match data\/template\.schema\.json/,
    );
  });
});

describe.skipIf(!nixVersion)(`crossflake init --test (what CI runs)${needsNix}`, () => {
  it('instantiates and checks every template sample and passes', async () => {
    const res = cli(['init', '--test', '--json'], await fresh(), nixEnv(env));
    expect(res.status).toBe(0);
    const out = JSON.parse(res.stdout) as {
      ok: boolean;
      results: { template: string; findings: unknown[] }[];
    };
    expect(out.ok).toBe(true);
    expect(out.results).toHaveLength(10);
    expect(res.stderr).toMatch(/init --test: wsl-nixos sample 1: 3 files ok/);
  });

  it('fails, naming template, sample and file, when a template does not parse or hard-codes a system', async () => {
    const cwd = await fresh();
    await cp('templates/wsl-home', join(cwd, 'tpl', 'wsl-home'), { recursive: true });
    await appendFile(join(cwd, 'tpl', 'wsl-home', 'home.nix'), '\n{ broken = ');
    await appendFile(
      join(cwd, 'tpl', 'wsl-home', 'README.md'),
      '\nAlso builds on aarch64-darwin.\n',
    );
    const res = cli(['init', '--test', '--templates-dir', 'tpl'], cwd, nixEnv(env));
    expect(res.status).toBe(1);
    expect(res.stdout).toMatch(/wsl-home sample 0: home\.nix: does not parse: .*/);
    expect(res.stdout).toMatch(
      /wsl-home sample 1: README\.md:\d+: mentions aarch64-darwin, not the chosen system/,
    );
    expect(res.stdout).toMatch(/0\/2 template instances passed/);
  });
});
