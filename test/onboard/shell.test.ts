// Commands shown for copy-paste are quoted for the user's shell. Every command
// of every `onboard wsl` plan variant is rendered for PowerShell and for cmd
// and split back by test models of those shells (shell-tokenizers.ts): the
// program must get exactly the plan's argument array. POSIX rendering goes
// through a real sh.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { win32 } from 'node:path';
import { windowsFactsFromOutputs } from '../../src/io/host/windows.js';
import { parseAncestors, shellFromAncestors } from '../../src/io/host/shell.js';
import { planUnix } from '../../src/onboard/plan-unix.js';
import { planWsl, type WslPlanOptions } from '../../src/onboard/plan-wsl.js';
import { renderPlan } from '../../src/onboard/render.js';
import type { Plan } from '../../src/onboard/step.js';
import { colors } from '../../src/ui/color.js';
import { renderCommand } from '../../src/ui/shell-quote.js';
import { recordedFacts, recordedRaw } from '../helpers/facts.js';
import { cmdArgs, psArgs, type Env } from './shell-tokenizers.js';

const SPACED = 'C:\\Users\\Ada Lovelace\\AppData\\Local';
const env: Env = { LOCALAPPDATA: SPACED, USERPROFILE: 'C:\\Users\\Ada Lovelace' };
const expand = (arg: string) => arg.replace(/%([A-Za-z_]+)%/g, (m, n: string) => env[n] ?? m);

function windowsFacts(version: string | null, list: string | null) {
  return {
    ...recordedFacts('windows-native'),
    windows: windowsFactsFromOutputs({
      version: version === null ? null : recordedRaw(version),
      status: recordedRaw('wsl-status-default2.utf16le'),
      list: list === null ? null : recordedRaw(list),
      hypervisorPresent: 'True',
    }),
  };
}

function options(appData: string, over: Partial<WslPlanOptions> = {}): WslPlanOptions {
  const home = win32.join(appData, 'crossflake');
  return {
    source: 'https://example.org/releases/v2026.11/',
    imageFile: 'company-nixos-wsl-x86_64-linux-2026.11.wsl',
    imageDir: win32.join(home, 'images'),
    name: 'NixOS',
    location: win32.join(home, 'wsl', 'NixOS'),
    backupDir: win32.join(home, 'backups'),
    backupStamp: '20261207-120000',
    replace: false,
    insecure: false,
    sha256: null,
    listed: true,
    config: 'https://github.com/acme/ada-config',
    user: 'ada',
    host: 'ada-laptop',
    importedByUs: false,
    ...over,
  };
}

/** Every plan variant onboard wsl makes: WSL release, replace, config, verification, paths. */
const PLANS: [string, Plan][] = [];
for (const [appName, appData] of [
  ['%LOCALAPPDATA% (reviewed off Windows)', '%LOCALAPPDATA%'],
  ['a LOCALAPPDATA with a space', SPACED],
] as const) {
  for (const [wslName, version] of [
    ['WSL 2.4.13', 'wsl-version-2.4.13.utf16le'],
    ['WSL 0.68.4', 'wsl-version-0.68.4.utf16le'],
    ['inbox WSL', null],
  ] as const) {
    PLANS.push(
      [`${wslName}, ${appName}`, planWsl(windowsFacts(version, null), options(appData))],
      [
        `${wslName}, ${appName}, --replace an existing distro`,
        planWsl(
          windowsFacts(version, 'wsl-list-verbose.utf16le'),
          options(appData, { replace: true, name: 'Ubuntu' }),
        ),
      ],
    );
  }
  PLANS.push(
    [
      `no --config, ${appName}`,
      planWsl(windowsFacts(null, null), options(appData, { config: null })),
    ],
    [
      `--insecure-skip-verify, ${appName}`,
      planWsl(windowsFacts(null, null), options(appData, { insecure: true, listed: false })),
    ],
    [
      `a lone file with --sha256, ${appName}`,
      planWsl(
        windowsFacts(null, null),
        options(appData, {
          sha256: 'ab'.repeat(32),
          listed: false,
          name: 'NixOS-26.05',
          host: 'h-1',
        }),
      ),
    ],
  );
}

function commandsOf(plan: Plan): string[][] {
  return [
    ...plan.steps.flatMap((s) => [
      s.command,
      ...(s.doneWhen.kind === 'command-succeeds' ? [s.doneWhen.command] : []),
    ]),
    ...plan.afterwards,
  ];
}

describe('every command of every onboard wsl plan, pasted into PowerShell and cmd', () => {
  for (const [name, plan] of PLANS) {
    it(name, () => {
      const commands = commandsOf(plan);
      expect(commands.length).toBeGreaterThan(3);
      for (const command of commands) {
        const want = command.map(expand);
        const ps = renderCommand(command, 'powershell');
        expect(psArgs(ps, env, 'standard'), `PowerShell 7: ${ps}`).toEqual(want);
        expect(psArgs(ps, env, 'legacy'), `Windows PowerShell 5.1: ${ps}`).toEqual(want);
        const cmd = renderCommand(command, 'cmd');
        expect(cmdArgs(cmd, env), `cmd: ${cmd}`).toEqual(want);
      }
    });
  }

  it('shows $env:LOCALAPPDATA to PowerShell and %LOCALAPPDATA% to cmd', () => {
    const plan = PLANS[0]![1];
    // The commands (run and done lines), not the prose that names places.
    const text = (shell: 'powershell' | 'cmd') =>
      renderPlan(plan, 'state.json', colors(false), shell)
        .split('\n')
        .filter((l) => /^ +(run|done):/.test(l) || l.startsWith('Commands are shown'))
        .join('\n');
    expect(text('powershell')).toContain('--location "$env:LOCALAPPDATA\\crossflake\\wsl\\NixOS"');
    expect(text('powershell')).not.toContain('%LOCALAPPDATA%');
    expect(text('cmd')).toContain('--location "%LOCALAPPDATA%\\crossflake\\wsl\\NixOS"');
    expect(text('cmd')).not.toContain('$env:');
    expect(text('cmd')).toContain('Commands are shown for cmd');
  });
});

describe("NixOS-WSL's documented commands (docs/src/install.md at 1763b59)", () => {
  // The install guide gives one line per shell for WSL older than 2.4.4.
  const documented = {
    powershell: 'wsl --import NixOS $env:USERPROFILE\\NixOS nixos.wsl --version 2',
    cmd: 'wsl --import NixOS %USERPROFILE%\\NixOS nixos.wsl --version 2',
  };
  const meant = [
    'wsl',
    '--import',
    'NixOS',
    'C:\\Users\\Ada Lovelace\\NixOS',
    'nixos.wsl',
    '--version',
    '2',
  ];

  it('the test shells read the documented lines as the documented arguments', () => {
    expect(psArgs(documented.powershell, env, 'standard')).toEqual(meant);
    expect(cmdArgs(documented.cmd, { USERPROFILE: 'C:\\Users\\ada' })).toEqual([
      'wsl',
      '--import',
      'NixOS',
      'C:\\Users\\ada\\NixOS',
      'nixos.wsl',
      '--version',
      '2',
    ]);
  });

  it('crossflake renders the same command so that each shell gives the same arguments', () => {
    const command = [
      'wsl',
      '--import',
      'NixOS',
      '%USERPROFILE%\\NixOS',
      'nixos.wsl',
      '--version',
      '2',
    ];
    const ps = renderCommand(command, 'powershell');
    const cmd = renderCommand(command, 'cmd');
    expect(ps).toBe('wsl --import NixOS "$env:USERPROFILE\\NixOS" nixos.wsl --version 2');
    expect(cmd).toBe('wsl --import NixOS "%USERPROFILE%\\NixOS" nixos.wsl --version 2');
    expect(psArgs(ps, env, 'legacy')).toEqual(psArgs(documented.powershell, env, 'legacy'));
    // With a space in the profile path the documented cmd line splits; ours does not.
    expect(cmdArgs(documented.cmd, env)).not.toEqual(meant);
    expect(cmdArgs(cmd, env)).toEqual(meant);
    for (const line of ['wsl --install --from-file nixos.wsl', 'wsl -d NixOS', 'wsl -s NixOS']) {
      const args = line.split(' ');
      expect(renderCommand(args, 'powershell')).toBe(line);
      expect(renderCommand(args, 'cmd')).toBe(line);
    }
  });
});

const HOSTILE = [
  'two words',
  'a"quote',
  'back\\"slash-quote',
  'C:\\dir with space\\',
  'C:\\nospace\\',
  '',
  '&|<>^()',
  '$(whoami)',
  "it's",
  '`tick`',
  '--%',
  'x;y',
  '@at',
  '#hash',
  'a,b',
  '{brace}',
  'tab\there',
  'ümlaut ✓',
  's/^([[:space:]]*user)"[^"]*";/\\1"ada";/',
];

describe('hostile arguments survive every renderer', () => {
  it('PowerShell (5.1 and 7) and cmd give the program exactly the arguments', () => {
    for (const arg of HOSTILE) {
      const command = ['prog', arg, 'tail'];
      const ps = renderCommand(command, 'powershell');
      expect(psArgs(ps, {}, 'standard'), ps).toEqual(command);
      expect(psArgs(ps, {}, 'legacy'), ps).toEqual(command);
      const cmd = renderCommand(command, 'cmd');
      expect(cmdArgs(cmd, {}), cmd).toEqual(command);
    }
  });

  it('a real sh gets every argument back unchanged (a $(...) path stays inert)', () => {
    const command = [
      ...HOSTILE,
      '/home/ada/$(touch pwned)/cfg',
      '~user',
      'a\nb',
      '*',
      '.#host',
      '#x',
    ];
    const line = `printf '%s\\0' ${renderCommand(command, 'posix')}`;
    const res = spawnSync('sh', ['-c', line], { encoding: 'utf8', cwd: '/' });
    expect(res.status).toBe(0);
    expect(res.stdout.split('\0').slice(0, -1)).toEqual(command);
  });
});

describe('which shell crossflake was started from (recorded ancestor chains)', () => {
  it('PowerShell directly, PowerShell through the npx.cmd shim, cmd, and unknown', () => {
    expect(
      shellFromAncestors(parseAncestors('node.exe\r\npwsh.exe\r\nWindowsTerminal.exe\r\n')),
    ).toBe('powershell');
    expect(shellFromAncestors(['node.exe', 'cmd.exe', 'powershell.exe', 'explorer.exe'])).toBe(
      'powershell',
    );
    expect(shellFromAncestors(['node.exe', 'cmd.exe', 'WindowsTerminal.exe'])).toBe('cmd');
    expect(shellFromAncestors(['node.exe', 'CMD.EXE', 'explorer.exe'])).toBe('cmd');
    expect(shellFromAncestors([])).toBe('powershell');
  });
});

describe('onboard macos/linux: run and done lines survive a POSIX copy-paste', () => {
  it('a --dir with $(...) and spaces stays one inert argument in the run and done lines', () => {
    const facts = recordedFacts('linux-aarch64');
    const fresh = { ...facts, nix: { ...(facts.nix as object), present: false, config: null } };
    const plan = planUnix(
      { ...(fresh as typeof facts), user: { ...facts.user, home: '/home/ada lovelace' } },
      {
        flow: 'linux',
        homeOnly: false,
        dir: "/home/ada lovelace/$(touch pwned) it's",
        user: 'ada',
        host: 'box',
        from: null,
        installerPath: '/tmp/nix-install.sh',
      },
    );
    const text = renderPlan(plan, 'state.json', colors(false), 'posix').split('\n');
    /** The first `run:` or `done:` line after the step's title, as a user would copy it. */
    const copied = (title: string, kind: 'run' | 'done') => {
      const from = text.findIndex((l) => l.includes(title));
      const line = text.slice(from).find((l) => l.trimStart().startsWith(`${kind}:`))!;
      return kind === 'run' ? line.replace(/^ +run: {2}/, '') : /`(.*)` succeeds$/.exec(line)![1]!;
    };
    const init = plan.steps.find((s) => s.id === 'init-config')!;
    const flakes = plan.steps.find((s) => s.id === 'enable-flakes')!;
    const grep = flakes.doneWhen.kind === 'command-succeeds' ? flakes.doneWhen.command : [];
    const cases: [readonly string[], string][] = [
      [init.command, copied('Create the configuration', 'run')],
      [grep, copied('Enable flakes', 'done')],
    ];
    for (const [command, pasted] of cases) {
      expect(pasted).toContain("'");
      const res = spawnSync('sh', ['-c', `printf '%s\\0' ${pasted}`], {
        encoding: 'utf8',
        cwd: '/',
      });
      expect(res.stdout.split('\0').slice(0, -1), pasted).toEqual(command);
    }
  });
});
