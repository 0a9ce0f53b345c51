import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import checkCommand from '../../src/check/command.js';
import { psString } from '../../src/completion/quote.js';
import { IMAGE_FORMATS, nixSystems } from '../../src/completion/values.js';
import { nixEnv } from '../helpers/nix.js';
import { scanPowerShell } from './ps-tokens.js';

const bin = 'bin/crossflake.js';
const dir = mkdtempSync(join(tmpdir(), 'cf-completion-'));
const scripts: Record<string, string> = {};

beforeAll(() => {
  for (const shell of ['bash', 'zsh', 'fish', 'powershell']) {
    const text = execFileSync(process.execPath, [bin, 'completion', shell], { encoding: 'utf8' });
    scripts[shell] = join(dir, `crossflake.${shell}`);
    writeFileSync(scripts[shell], text);
  }
});

const templates = readdirSync('templates')
  .filter((t) => existsSync(join('templates', t, 'template.json')))
  .sort();
const sorted = (text: string) => text.split(/\s+/).filter(Boolean).sort();

/** The words real bash offers: the script loaded, COMP_WORDS/COMP_CWORD set, the function run. */
function bash(...words: string[]): string[] {
  const harness = `source "$1"; shift
COMP_WORDS=("$@"); COMP_CWORD=$((\${#COMP_WORDS[@]} - 1)); COMPREPLY=()
_crossflake
printf '%s\\n' "\${COMPREPLY[@]}"`;
  const res = spawnSync('bash', ['--norc', '-c', harness, 'bash', scripts.bash!, ...words], {
    encoding: 'utf8',
    cwd: dir,
  });
  expect(res.stderr).toBe('');
  return sorted(res.stdout);
}

// zsh: compadd (a builtin of the completion widget) replaced by a function
// that prints the candidates matching the word typed so far, as compadd
// would keep them; $words and $CURRENT set as the completion system sets them.
function zsh(...words: string[]): string[] {
  const harness = `compadd() { while [[ $# -gt 0 && $1 != -- ]]; do shift; done; shift
  local w; for w in "$@"; do [[ $w == "$PREFIX"* ]] && print -r -- $w; done; }
compset() { return 1; }
_files() { print -r -- '<files>'; }
source "$1"; shift
words=("$@"); CURRENT=$#; PREFIX=\${words[CURRENT]}
_crossflake`;
  const res = spawnSync('zsh', ['-f', '-c', harness, 'zsh', scripts.zsh!, ...words], {
    encoding: 'utf8',
    cwd: dir,
  });
  expect(res.stderr).toBe('');
  return sorted(res.stdout);
}

/** fish's own `complete -C`: what fish offers for the command line. */
function fish(line: string): string[] {
  const res = spawnSync(
    'fish',
    ['--no-config', '-c', `source $argv[1]; complete -C $argv[2]`, scripts.fish!, line],
    {
      encoding: 'utf8',
      cwd: dir,
    },
  );
  expect(res.stderr).toBe('');
  return res.stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split('\t')[0]!)
    .sort();
}

const commands = sorted(
  execFileSync(process.execPath, [bin, '--help'], { encoding: 'utf8' })
    .split('\n')
    .map((l) => /^ {2}([a-z-]+) {2,}\S/.exec(l)?.[1] ?? '')
    .join(' '),
);
const checkFlags = Object.keys(checkCommand.cliOptionsTypes()).map((f) => `--${f}`);

describe('crossflake completion (built CLI)', () => {
  it('an unknown shell is one line, exit 2', () => {
    const res = spawnSync(process.execPath, [bin, 'completion', 'tcsh'], { encoding: 'utf8' });
    expect(res.status).toBe(2);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toContain('bash, zsh, fish, powershell');
  });

  it('the image formats it knows are those of nix/lib/image-formats.nix (real nix)', () => {
    const out = execFileSync(
      'nix-instantiate',
      [
        '--eval',
        '--strict',
        '--json',
        '-E',
        'builtins.attrNames (import ./nix/lib/image-formats.nix)',
      ],
      { encoding: 'utf8', env: nixEnv() },
    );
    expect([...IMAGE_FORMATS]).toEqual(JSON.parse(out));
  });
});

describe('bash: the script loaded in real bash', () => {
  it('completes command names from the command table', () => {
    expect(bash('crossflake', '')).toEqual(commands);
    expect(bash('crossflake', 'ima')).toEqual(['images']);
  });

  it("completes a command's subcommands and its flags from its option types", () => {
    expect(bash('crossflake', 'images', '')).toEqual(sorted('plan build copy release merge fetch'));
    expect(bash('crossflake', 'check', '--')).toEqual([...checkFlags, '--help'].sort());
  });

  it('completes template names for init, after flags too, and files after the template', () => {
    expect(bash('crossflake', 'init', '')).toEqual(templates);
    expect(bash('crossflake', 'init', '--non-interactive', 'w')).toEqual(
      templates.filter((t) => t.startsWith('w')),
    );
    writeFileSync(join(dir, 'zz-target'), '');
    expect(bash('crossflake', 'init', 'darwin', 'zz')).toEqual(['zz-target']);
  });

  it('completes formats and systems for images --only, after a comma and after =', () => {
    expect(bash('crossflake', 'images', 'build', '--only', 'qcow')).toEqual(['qcow2', 'qcow2-efi']);
    expect(bash('crossflake', 'images', 'build', '--only', 'qcow2,x86')).toEqual(
      nixSystems()
        .filter((s) => s.startsWith('x86'))
        .map((s) => `qcow2,${s}`),
    );
    expect(bash('crossflake', 'images', 'plan', '--only', '=', 'aarch64-l')).toEqual([
      'aarch64-linux',
    ]);
  });

  it('a flag value is not taken for the subcommand', () => {
    expect(bash('crossflake', 'images', '--flake', 'plan', '')).toEqual(
      sorted('plan build copy release merge fetch'),
    );
  });

  it('offers the global flags before a command', () => {
    expect(bash('crossflake', '--')).toEqual(sorted('--help --version --debug'));
  });
});

describe('zsh: the script loaded in real zsh (compadd captured)', () => {
  it('completes commands, subcommands, flags and values', () => {
    expect(zsh('crossflake', 'ima')).toEqual(['images']);
    expect(zsh('crossflake', 'ci', '')).toEqual(['check', 'generate', 'run']);
    expect(zsh('crossflake', 'check', '--')).toEqual([...checkFlags, '--help'].sort());
    expect(zsh('crossflake', 'init', '--force', '')).toEqual(templates);
    expect(zsh('crossflake', 'images', 'build', '--only', 'x86_64-')).toEqual(
      nixSystems().filter((s) => s.startsWith('x86_64-')),
    );
    expect(zsh('crossflake', 'check', '--only', 'do')).toEqual(['docs-check', 'docs-lint']);
  });
});

describe('fish: the script loaded in real fish (complete -C)', () => {
  it('completes commands with their summaries, subcommands, flags and values', () => {
    expect(fish('crossflake ima')).toEqual(['images']);
    expect(fish('crossflake docs ')).toEqual(['check', 'generate', 'lint']);
    expect(fish('crossflake check --')).toEqual([...checkFlags, '--help'].sort());
    expect(fish('crossflake images build --only qcow')).toEqual(['qcow2', 'qcow2-efi']);
    expect(fish('crossflake init w')).toEqual(templates.filter((t) => t.startsWith('w')));
  });
});

describe('PowerShell (cannot run here: no pwsh in Debian; the script checked by a tokenizer of its quoting rules)', () => {
  it('every string, comment and bracket of the script ends and pairs', () => {
    const text = execFileSync(process.execPath, [bin, 'completion', 'powershell'], {
      encoding: 'utf8',
    });
    expect(scanPowerShell(text).problems).toEqual([]);
    expect(text).toMatch(/Register-ArgumentCompleter -Native -CommandName 'crossflake'/);
  });

  it('its single-quoted strings hold every command, subcommand and template', () => {
    const text = execFileSync(process.execPath, [bin, 'completion', 'powershell'], {
      encoding: 'utf8',
    });
    const { strings } = scanPowerShell(text);
    for (const word of [...commands, ...templates, 'plan', 'generate', 'images:--only'])
      expect(strings).toContain(word);
  });

  it('a quote of any kind inside a string is doubled, and the tokenizer reads it back', () => {
    const nasty = "it's ‘odd’ $(rm) `n";
    const scan = scanPowerShell(`$x = @(${psString(nasty)}, 'b')`);
    expect(scan.problems).toEqual([]);
    expect(scan.strings).toEqual([nasty, 'b']);
    expect(scanPowerShell(`$x = '${nasty}'`).strings).not.toEqual([nasty]);
  });
});
