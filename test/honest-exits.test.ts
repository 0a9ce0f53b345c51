// Honest exits (issue: nothing lost, nothing leaked): every mistake a user
// makes on the command line is one line with exit 2, and a failure of the
// machine (a path that is not what it should be) is one line with exit 1;
// only a real bug is an "internal error" with a stack. Runs the built CLI.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkArgv, extraPositional, splitDebug } from '../src/args.js';
import { writeFileAtomic } from '../src/io/files.js';
import type { NixConfigFacts } from '../src/io/host/facts.js';
import { parseNix } from '../src/nixlang/index.js';
import { treeToJSON } from '../src/nixlang/json.js';
import { loadTeamConfig } from '../src/teamconfig/load.js';
import { writeJson } from '../src/ui/json-stream.js';
import { quotePosix } from '../src/ui/shell-quote.js';
import { checkValue } from '../src/templates/validate.js';
import type { ParamSpec } from '../src/templates/types.js';
import { hostFixtures, recordedFacts } from './helpers/facts.js';

const bin = join(process.cwd(), 'bin/crossflake.js');
const factsFile = join(process.cwd(), hostFixtures, 'facts/linux-x86_64.json');

function cli(args: string[], cwd = process.cwd()) {
  const res = spawnSync(process.execPath, [bin, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    timeout: 60_000,
  });
  return { status: res.status, stdout: res.stdout, stderr: res.stderr };
}

function oneLine(stderr: string): void {
  expect(stderr).not.toMatch(/internal error|^\s+at /m);
  expect(stderr.trimEnd().split('\n')).toHaveLength(1);
}

describe('extra positional arguments are refused by every command (exit 2, one line)', () => {
  const cases: string[][] = [
    ['doctor', 'x'],
    ['advise', 'x'],
    ['check', 'x'],
    ['init', 'wsl-home', 'dir', 'x'],
    ['images', 'plan', 'x'],
    ['images', 'copy', 'x'],
    ['images', 'fetch', 'a', 'x'],
    ['onboard', 'linux', 'x'],
    ['ci', 'generate', 'x'],
    ['ci', 'check', 'x'],
    ['extract', 'analyze', 'repo', 'x'],
    ['docs', 'generate', 'x'],
    ['docs', 'check', 'x'],
  ];
  it.each(cases)('crossflake %s ... x', (...args) => {
    const res = cli(args);
    expect(res.status).toBe(2);
    expect(res.stderr).toContain('unexpected argument "x"');
    oneLine(res.stderr);
  });

  it('the arity table: counts, subcommands, lists, unknown subcommands left to the command', () => {
    expect(extraPositional(0, [])).toBeNull();
    expect(extraPositional(2, ['a', 'b'])).toBeNull();
    expect(extraPositional(2, ['a', 'b', 'c'])).toMatch(/"c"/);
    expect(extraPositional({ lint: Infinity }, ['lint', 'a', 'b', 'c'])).toBeNull();
    expect(extraPositional({ check: 0 }, ['check', 'a'])).toMatch(/"a" \(check takes no/);
    expect(extraPositional({ check: 0 }, ['frob', 'a'])).toBeNull();
  });
});

describe('arguments that are not valid UTF-8 are refused, not silently changed', () => {
  it('a byte that is not UTF-8 in a path exits 2 naming the argument', () => {
    // bash passes the raw byte 0xff as an argument; Node would decode it as U+FFFD.
    const res = spawnSync(
      'bash',
      ['-c', 'exec "$0" "$1" parse "$(printf "bad\\377.nix")"', process.execPath, bin],
      { encoding: 'utf8' },
    );
    expect(res.status).toBe(2);
    expect(res.stderr).toMatch(/argument 2 .* is not valid UTF-8/);
    oneLine(res.stderr);
  });

  it('checkArgv finds U+FFFD and passes other Unicode', () => {
    expect(checkArgv(['parse', 'ok-é-日本.nix'])).toBeNull();
    expect(checkArgv(['parse', 'bad\uFFFD.nix'])).toMatch(/argument 2 \("bad\?\.nix"/);
  });
});

describe('--debug is global and shows the stack of a failure that is one line without it', () => {
  it('splitDebug takes --debug from anywhere before --', () => {
    expect(splitDebug(['--debug', 'check'])).toEqual({ args: ['check'], debug: true });
    expect(splitDebug(['parse', '--', '--debug'])).toEqual({
      args: ['parse', '--', '--debug'],
      debug: false,
    });
  });

  it('a file where a folder should be: one line, exit 1; with --debug the stack follows', () => {
    const dir = mkdtempSync(join(tmpdir(), 'crossflake-exits-'));
    // The leak scan lists nix/ with a plain readdir: a file there is the machine's state.
    writeFileSync(join(dir, 'nix'), 'not a folder');
    const args = ['check', '--only', 'leaks'];
    const plain = cli(args, dir);
    expect(plain.status).toBe(1);
    expect(plain.stderr).toMatch(/nix: not a directory \(ENOTDIR in scandir\)/);
    oneLine(
      plain.stderr
        .split('\n')
        .filter((l) => !l.startsWith('… '))
        .join('\n'),
    );
    const debug = cli(['--debug', ...args], dir);
    expect(debug.status).toBe(1);
    expect(debug.stderr).toMatch(/^\s+at /m);
  });
});

describe('doctor --save-facts: a directory is refused, no temp file left, builder hosts redacted', () => {
  it('--save-facts <directory> (with or without --force) is one line, exit 2, nothing written', () => {
    const dir = mkdtempSync(join(tmpdir(), 'crossflake-exits-'));
    mkdirSync(join(dir, 'out'));
    for (const extra of [[], ['--force']]) {
      const res = cli(['doctor', '--facts', factsFile, '--save-facts', 'out', ...extra], dir);
      expect(res.status).toBe(2);
      expect(res.stderr).toMatch(/--save-facts out is a directory; name a file/);
      oneLine(res.stderr);
    }
    expect(readdirSync(dir).sort()).toEqual(['out']);
    expect(readdirSync(join(dir, 'out'))).toEqual([]);
  });

  it('an atomic write whose rename fails removes its temp file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crossflake-exits-'));
    mkdirSync(join(dir, 'target'));
    writeFileSync(join(dir, 'target', 'keep'), 'x');
    await expect(writeFileAtomic(join(dir, 'target'), 'data')).rejects.toThrow();
    expect(readdirSync(dir)).toEqual(['target']);
  });

  it('saved facts name no remote builder host', () => {
    const dir = mkdtempSync(join(tmpdir(), 'crossflake-exits-'));
    const facts = recordedFacts('linux-x86_64');
    const nix = facts.nix as Exclude<typeof facts.nix, 'unknown'>;
    (nix.config as NixConfigFacts).builders =
      'ssh://eu-build-7.corp.acme-internal.net x86_64-linux /etc/nix/id 8 1 kvm; ssh-ng://root@mac-mini.acme.lan aarch64-darwin\nbare-host i686-linux';
    writeFileSync(join(dir, 'in.json'), JSON.stringify(facts));
    const res = cli(['doctor', '--facts', 'in.json', '--save-facts', 'out.json'], dir);
    expect(res.stderr).toContain('Saved facts to out.json');
    const saved = readFileSync(join(dir, 'out.json'), 'utf8');
    for (const host of ['eu-build-7', 'acme-internal', 'mac-mini', 'acme.lan', 'bare-host'])
      expect(saved).not.toContain(host);
    expect(JSON.parse(saved).nix.config.builders).toBe(
      'ssh://<builder-1> x86_64-linux /etc/nix/id 8 1 kvm; ssh-ng://<builder-2> aarch64-darwin\n<builder-3> i686-linux',
    );
  });
});

describe('docs lint on a folder that is not a repository, or a named file that is a directory', () => {
  it('outside a git repository: one line, exit 2, says what to do', () => {
    const dir = mkdtempSync(join(tmpdir(), 'crossflake-exits-'));
    writeFileSync(join(dir, 'README.md'), '# hi\n');
    const res = cli(['docs', 'lint', 'README.md'], dir);
    expect(res.status).toBe(2);
    expect(res.stderr).toMatch(/is not a git repository; run docs lint in the repository/);
    oneLine(res.stderr);
  });

  it('a docs "file" that is a directory: one line, exit 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'crossflake-exits-'));
    mkdirSync(join(dir, 'notes.md'));
    const res = cli(['docs', 'lint', 'notes.md'], dir);
    expect(res.status).toBe(2);
    expect(res.stderr).toContain('notes.md is a directory');
    oneLine(res.stderr);
  });

  it('--dir that does not exist: one line, exit 2', () => {
    const res = cli(['docs', 'check', '--dir', join(tmpdir(), 'crossflake-no-such-dir')]);
    expect(res.status).toBe(2);
    expect(res.stderr).toContain('no such directory');
    oneLine(res.stderr);
  });
});

describe('files that are the wrong thing: a state "file" that is a directory, a 65 MB crossflake.json', () => {
  it('onboard --state <directory>: one line, exit 2, before the plan is made', () => {
    const dir = mkdtempSync(join(tmpdir(), 'crossflake-exits-'));
    mkdirSync(join(dir, 'state'));
    const res = cli(
      ['onboard', 'linux', '--facts', factsFile, '--state', 'state', '--to', 'cfg', '--dry-run'],
      dir,
    );
    expect(res.status).toBe(2);
    expect(res.stderr).toMatch(/--state .*state is a directory; name a file/);
    oneLine(res.stderr);
    expect(readdirSync(dir)).toEqual(['state']);
  });

  it('a 65 MB crossflake.json is refused by its size before it is read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crossflake-exits-'));
    // Sparse: the size is real, the disk holds nothing.
    writeFileSync(join(dir, 'crossflake.json'), '{}');
    truncateSync(join(dir, 'crossflake.json'), 65 * 1024 * 1024);
    await expect(loadTeamConfig(dir)).rejects.toThrow(
      /crossflake\.json is 65\.0 MiB; a team config is at most 1 MiB/,
    );
  });
});

describe('parse --json of a file whose JSON is larger than any string: streamed', () => {
  it('writeJson writes what JSON.stringify(value, null, 2) does, in bounded chunks', async () => {
    const source = `{ a = [ 1 2.5 "x\\ny" ./p ]; b = { c = null; }; e = [ ]; f = { }; ${'g.h = 1; '.repeat(5000).replace(/g\.h/g, (_m, i: number) => `g${i}.h`)} }`;
    const value = {
      tree: treeToJSON(parseNix(source).root),
      odd: [undefined, () => 1, Infinity, 'é"\\'],
      skipped: undefined,
      empty: { a: [], o: {} },
    };
    const chunks: string[] = [];
    await writeJson(value, { write: (c: string) => chunks.push(c) });
    expect(chunks.join('')).toBe(`${JSON.stringify(value, null, 2)}\n`);
    expect(chunks.length).toBeGreaterThan(5);
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThan(2 * 65536);
  });
});

describe('printed commands are quoted for the shell: init "Next: cd <dir>"', () => {
  it('quotePosix keeps safe words, single-quotes the rest, and a real sh reads back the same word', () => {
    expect(quotePosix('nix-config/wsl_home.2')).toBe('nix-config/wsl_home.2');
    const words = ['a b', '$(touch pwned)', '`id`', "it's", '$HOME', '*', '', 'x;y', 'a\nb'];
    for (const w of words) {
      const echoed = spawnSync('sh', ['-c', `printf %s ${quotePosix(w)}`], { encoding: 'utf8' });
      expect(echoed.stdout).toBe(w);
    }
  });

  it('init into a folder named $(touch pwned): the cd line runs inert in sh', () => {
    const dir = mkdtempSync(join(tmpdir(), 'crossflake-exits-'));
    const res = cli(
      [
        'init',
        'wsl-home',
        '$(touch pwned) x',
        '--non-interactive',
        '-p',
        'username=alice',
        '--flake',
        'path:/srv/shared-flake',
      ],
      dir,
    );
    expect(res.status).toBe(0);
    const cd = res.stdout.split('\n').find((l) => l.trim().startsWith('cd '))!;
    expect(cd.trim()).toBe("cd '$(touch pwned) x'");
    spawnSync('sh', ['-c', `${cd.trim()} && pwd`], { cwd: dir, encoding: 'utf8' });
    expect(readdirSync(dir)).toEqual(['$(touch pwned) x']);
  });
});

describe('template parameters refuse bidirectional and other control characters', () => {
  const param: ParamSpec = {
    name: 'fullName',
    type: 'string',
    freeText: true,
    rule: 'test',
  } as ParamSpec;
  it.each([
    ['RIGHT-TO-LEFT OVERRIDE', 'Ann\u202Egnp.exe', '202E'],
    ['LEFT-TO-RIGHT EMBEDDING', 'a\u202Ab', '202A'],
    ['FIRST STRONG ISOLATE', 'a\u2068b', '2068'],
    ['POP DIRECTIONAL ISOLATE', 'a\u2069b', '2069'],
    ['RIGHT-TO-LEFT MARK', 'a\u200Fb', '200F'],
    ['C1 control CSI', 'a\u009Bb', '009B'],
    ['LINE SEPARATOR', 'a\u2028b', '2028'],
  ])('%s is refused, naming the code point', (_name, value, code) => {
    const res = checkValue(param, value);
    expect(res.ok).toBe(false);
    expect(!res.ok && res.message).toContain(`U+${code}`);
  });

  it('letters of any script still pass', () => {
    expect(checkValue(param, 'Zoë Ødegård 山田 עברית').ok).toBe(true);
  });
});

describe('extract apply on repositories that cannot take a step', () => {
  function gitRepo(dir: string, commit: boolean): void {
    mkdirSync(dir, { recursive: true });
    const g = (...a: string[]) =>
      spawnSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...a], { cwd: dir });
    g('init', '-q');
    if (commit) {
      writeFileSync(
        join(dir, 'git.nix'),
        '{ pkgs, ... }: { environment.systemPackages = [ pkgs.git ]; }\n',
      );
      g('add', '-A');
      g('commit', '-qm', 'first');
    }
  }

  it('a shared repository with no commit: one line, exit 1, says to commit first', () => {
    const dir = mkdtempSync(join(tmpdir(), 'crossflake-exits-'));
    gitRepo(join(dir, 'personal'), true);
    gitRepo(join(dir, 'shared'), false);
    const res = cli(['extract', 'apply', 'personal', '--step', '1', '--shared', 'shared'], dir);
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(/shared .*has no commit yet; commit its files first/);
    oneLine(res.stderr);
  });

  it('a personal "repository" that is a file: one line, exit 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'crossflake-exits-'));
    gitRepo(join(dir, 'shared'), true);
    writeFileSync(join(dir, 'personal'), 'x');
    const res = cli(['extract', 'apply', 'personal', '--step', '1', '--shared', 'shared'], dir);
    expect(res.status).toBe(2);
    expect(res.stderr).toMatch(/personal repo .*personal is not a directory/);
    oneLine(res.stderr);
  });
});
