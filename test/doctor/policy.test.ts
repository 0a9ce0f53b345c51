// The team's health policy (crossflake.json `health`) through the built CLI:
// every policy check passing on one host and failing on another, errors with
// file:line:column (exit 2), discovery upward from the current directory.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HostFacts, NixFacts } from '../../src/io/host/facts.js';
import { recordedFacts } from '../helpers/facts.js';

const bin = join(process.cwd(), 'bin/crossflake.js');
const cli = (cwd: string, ...args: string[]) =>
  spawnSync(process.execPath, [bin, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });

const POLICY = {
  health: {
    minNixVersion: '2.24',
    substituters: ['https://cache.example.org'],
    trustedPublicKeys: ['cache.example.org-1:6NCHdD59X431o0gWypbMrAURkbJ16ZPMQFGspcDShjY='],
    experimentalFeatures: ['nix-command', 'flakes'],
    minMaxJobs: 4,
    requiredTools: ['direnv'],
    platforms: ['linux-x86_64', 'wsl2-x86_64', 'darwin-aarch64'],
  },
};
const POLICY_IDS = [
  'policy-platforms',
  'policy-nix-version',
  'policy-experimental-features',
  'policy-substituters',
  'policy-trusted-public-keys',
  'policy-max-jobs',
  'policy-required-tools',
];

function withNix(
  base: HostFacts,
  nix: Partial<NixFacts>,
  config: object,
  tools: object,
): HostFacts {
  const n = base.nix as NixFacts;
  return {
    ...base,
    nix: { ...n, ...nix, config: { ...(n.config as object), ...config } as NixFacts['config'] },
    tools: tools as Record<string, string | null>,
  };
}

/** linux-x86_64 (a team platform) with everything the policy asks for. */
const good = withNix(
  recordedFacts('linux-x86_64'),
  { version: '2.31.2' },
  {
    substituters: ['https://cache.nixos.org/', 'https://cache.example.org/'],
    trustedPublicKeys: [
      'cache.nixos.org-1:6NCHdD59X431o0gWypbMrAURkbJ16ZPMQFGspcDShjY=',
      POLICY.health.trustedPublicKeys[0],
    ],
    experimentalFeatures: ['nix-command', 'flakes'],
    maxJobs: 8,
  },
  { direnv: '/run/current-system/sw/bin/direnv' },
);
/** linux-aarch64 (not a team platform) failing every policy key. */
const bad = withNix(
  recordedFacts('linux-aarch64'),
  { version: '2.18.1' },
  {
    substituters: ['https://cache.nixos.org/'],
    trustedPublicKeys: ['cache.nixos.org-1:6NCHdD59X431o0gWypbMrAURkbJ16ZPMQFGspcDShjY='],
    experimentalFeatures: ['nix-command'],
    maxJobs: 1,
  },
  { direnv: null },
);

let dir: string;
const write = (name: string, data: string) => {
  const file = join(dir, name);
  writeFileSync(file, data);
  return file;
};
const run = (facts: string, ...extra: string[]) => {
  const res = cli(dir, 'doctor', '--facts', facts, '--json', ...extra);
  return {
    status: res.status,
    stderr: res.stderr,
    out: res.stdout
      ? (JSON.parse(res.stdout) as {
          policy: { file: string; checks: string[] } | null;
          checks: { id: string; status: string; source: string; fix?: string; summary: string }[];
        })
      : null,
  };
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'crossflake-policy-'));
  write('good.json', JSON.stringify(good));
  write('bad.json', JSON.stringify(bad));
  write('policy.json', JSON.stringify(POLICY, null, 2));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('doctor --policy: each policy key is a check of its own, from the team policy', () => {
  it('passes every policy check on a host that meets the policy', () => {
    const { status, out } = run('good.json', '--policy', 'policy.json');
    const policy = out!.checks.filter((c) => c.source === 'team-policy');
    expect(policy.map((c) => c.id)).toEqual(POLICY_IDS);
    for (const c of policy) expect(`${c.id}: ${c.status}`).toBe(`${c.id}: pass`);
    expect(out!.checks.filter((c) => c.source === 'crossflake').length).toBeGreaterThan(10);
    expect(out!.policy).toEqual({
      file: join(dir, 'policy.json'),
      checks: Object.keys(POLICY.health),
    });
    expect(status).toBe(0);
  });

  it('fails every policy check on a host that meets none of it, each with its fix', () => {
    const { status, out } = run('bad.json', '--policy', 'policy.json');
    const byId = Object.fromEntries(out!.checks.map((c) => [c.id, c]));
    for (const id of POLICY_IDS) expect(`${id}: ${byId[id]!.status}`).toBe(`${id}: fail`);
    expect(byId['policy-platforms']!.summary).toContain('linux-aarch64 is not one of');
    expect(byId['policy-nix-version']!.summary).toBe("Nix 2.18.1 is older than the team's 2.24");
    expect(byId['policy-experimental-features']!.summary).toBe('not enabled: flakes');
    expect(byId['policy-substituters']!.fix).toContain(
      'extra-substituters = https://cache.example.org',
    );
    expect(byId['policy-trusted-public-keys']!.summary).toBe('not trusted: cache.example.org-1');
    expect(byId['policy-max-jobs']!.summary).toBe('max-jobs is 1; the team wants at least 4');
    expect(byId['policy-required-tools']!.summary).toBe('not on PATH: direnv');
    expect(status).toBe(1);
  });

  it('without a policy, no policy checks run; --no-policy ignores a discovered one', () => {
    const plain = run('bad.json');
    expect(plain.out!.policy).toBeNull();
    expect(plain.out!.checks.some((c) => c.source === 'team-policy')).toBe(false);
    const nested = join(dir, 'team', 'hosts', 'ada');
    mkdirSync(nested, { recursive: true });
    writeFileSync(
      join(dir, 'team', 'crossflake.json'),
      JSON.stringify({ health: { minMaxJobs: 4 } }),
    );
    const found = cli(nested, 'doctor', '--facts', join(dir, 'bad.json'), '--json');
    const out = JSON.parse(found.stdout) as {
      policy: { file: string };
      checks: { id: string; source: string }[];
    };
    expect(out.policy.file).toBe(join(dir, 'team', 'crossflake.json'));
    expect(out.checks.filter((c) => c.source === 'team-policy').map((c) => c.id)).toEqual([
      'policy-max-jobs',
    ]);
    const ignored = cli(
      nested,
      'doctor',
      '--facts',
      join(dir, 'bad.json'),
      '--json',
      '--no-policy',
    );
    expect((JSON.parse(ignored.stdout) as { policy: unknown }).policy).toBeNull();
  });

  it('the text report marks the team checks', () => {
    const res = cli(dir, 'doctor', '--facts', 'bad.json', '--policy', 'policy.json');
    expect(res.stdout).toContain(`Team policy: ${join(dir, 'policy.json')}`);
    expect(res.stdout).toMatch(/FAIL +Team: max-jobs \(team\)/);
  });
});

describe('a malformed policy: file:line:column, exit 2', () => {
  it('a wrong type names the line and column of the value', () => {
    const text =
      '{\n  "health": {\n    "minNixVersion": "2.24",\n    "minMaxJobs": "four"\n  }\n}\n';
    write('wrong-type.json', text);
    const res = cli(dir, 'doctor', '--facts', 'good.json', '--policy', 'wrong-type.json');
    expect(res.status).toBe(2);
    expect(res.stderr).toContain(
      `${join(dir, 'wrong-type.json')}:4:19: $.health.minMaxJobs: must be integer`,
    );
    expect(res.stdout).toBe('');
  });

  it('broken JSON names where it breaks; an unknown key and an unknown platform row are named too', () => {
    write('broken.json', '{\n  "health": {\n    "minMaxJobs": 4,\n  }\n}\n');
    const broken = cli(dir, 'doctor', '--facts', 'good.json', '--policy', 'broken.json');
    expect(broken.status).toBe(2);
    expect(broken.stderr).toMatch(/broken\.json:4:3: \$: not valid JSON/);
    write(
      'unknown.json',
      '{\n  "health": {\n    "minJobs": 4,\n    "platforms": ["linux-x86_64", "amiga-m68k"]\n  }\n}\n',
    );
    const unknown = cli(dir, 'doctor', '--facts', 'good.json', '--policy', 'unknown.json');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('unknown.json:3:16: $.health.minJobs: unknown key');
    write(
      'rows.json',
      '{\n  "health": {\n    "platforms": ["linux-x86_64", "amiga-m68k"]\n  }\n}\n',
    );
    const badRow = cli(dir, 'doctor', '--facts', 'good.json', '--policy', 'rows.json');
    expect(badRow.status).toBe(2);
    expect(badRow.stderr).toContain('rows.json:3:35: $.health.platforms[1]: unknown platform row');
  });

  it('a --policy file that does not exist is exit 2 naming it', () => {
    const res = cli(dir, 'doctor', '--facts', 'good.json', '--policy', 'nope.json');
    expect(res.status).toBe(2);
    expect(res.stderr).toContain('cannot read');
    expect(res.stderr).toContain('nope.json');
  });
});

describe('requiredTools on this machine (live PATH look-up)', () => {
  it('finds node on PATH and names a tool that is not there', () => {
    write(
      'tools.json',
      JSON.stringify({ health: { requiredTools: ['node', 'crossflake-no-such-tool'] } }),
    );
    const res = cli(dir, 'doctor', '--policy', 'tools.json', '--json');
    const out = JSON.parse(res.stdout) as {
      checks: { id: string; status: string; summary: string }[];
      facts: { tools: Record<string, string | null> };
    };
    expect(out.facts.tools.node).toMatch(/node$/);
    expect(out.facts.tools['crossflake-no-such-tool']).toBeNull();
    const tools = out.checks.find((c) => c.id === 'policy-required-tools')!;
    expect(tools.status).toBe('fail');
    expect(tools.summary).toBe('not on PATH: crossflake-no-such-tool');
  });
});
