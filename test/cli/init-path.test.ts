// What `crossflake init --list` and `crossflake init <template>` (every value
// given) load, on the built CLI: the fused handler (scripts/build.mjs fuse)
// and no second copy of any module, nothing of Node beyond what `init --help`
// loads, and errors raised in the fused file reported as the user's. Seen
// through a module hook and Node's own module list: the structure, never
// timing. `npm run build` first.
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TemplateSpec } from '../../src/templates/types.js';
import { splitLoaded, writeLoadHook } from './load-hook.js';

const root = process.cwd();
const bin = join(root, 'bin', 'crossflake.js');
const dist = join(root, 'dist');
const work = mkdtempSync(join(tmpdir(), 'cf-init-path-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const hook = writeLoadHook(work);
const listHook = join(work, 'modules.cjs');
writeFileSync(
  listHook,
  `process.on('exit', () => require('node:fs').writeFileSync(process.env.CF_MODULES, process.moduleLoadList.join('\\n')));\n`,
);

/** Every parameter of a template given: its default, or a local flake for sharedFlake. */
function allParams(name: string): string[] {
  const spec = JSON.parse(
    readFileSync(join(root, 'templates', name, 'template.json'), 'utf8'),
  ) as TemplateSpec;
  return spec.parameters.flatMap((p) => [
    '-p',
    `${p.name}=${p.default ?? 'path:/srv/shared-flake'}`,
  ]);
}

let runs = 0;
/** The files of dist/ a run loads (paths under dist/), in order. */
function loadedFiles(args: string[]): { files: string[]; status: number | null; stderr: string } {
  const res = spawnSync(process.execPath, ['--import', hook, bin, ...args], {
    cwd: work,
    encoding: 'utf8',
  });
  const { urls, rest } = splitLoaded(res.stderr);
  const files = urls
    .filter((url) => url.includes('/dist/'))
    .map((url) => url.slice(url.indexOf('/dist/') + '/dist/'.length));
  return { files, status: res.status, stderr: rest };
}

/** Node's own modules a run loads. */
function nodeModules(args: string[]): string[] {
  const list = join(work, `modules-${runs++}.txt`);
  const res = spawnSync(process.execPath, ['-r', listHook, bin, ...args], {
    cwd: work,
    encoding: 'utf8',
    env: { ...process.env, CF_MODULES: list },
  });
  expect(res.status, res.stderr).toBe(0);
  return readFileSync(list, 'utf8').split('\n');
}

/**
 * The source modules a dist file holds: esbuild marks each with a
 * `// src/...` line; the fused file marks the chunks it took in, whose own
 * marks count.
 */
function sourcesOf(file: string): string[] {
  const text = readFileSync(join(dist, file), 'utf8');
  const marks = new Set(
    [...text.matchAll(/^\/\/ ((?:src|data|node_modules|dist)\/\S+)$/gm)].map((m) => m[1] as string),
  );
  // (esbuild may mark one input more than once: a file's parts.)
  return [
    ...new Set(
      [...marks].flatMap((mark) =>
        mark.startsWith('dist/') ? sourcesOf(mark.slice('dist/'.length)) : [mark],
      ),
    ),
  ];
}

/** The arguments of each case, with a fresh target directory each time. */
const cases: [string, () => string[]][] = [
  ['init --list', () => ['init', '--list']],
  ...['wsl-home', 'bare-metal'].map((name): [string, () => string[]] => [
    `init ${name}, every value given`,
    () => ['init', name, join(work, `out-${runs++}`), '--non-interactive', ...allParams(name)],
  ]),
];

describe('the init path loads the fused handler', () => {
  it.each(cases)(
    '%s: dist/chunks/init.js, not the split handler check and onboard use',
    (_, args) => {
      const run = loadedFiles(args());
      expect(run.status, run.stderr).toBe(0);
      expect(run.files).toContain('chunks/init.js');
      expect(run.files).not.toContain('chunks/init-command.js');
      // The templates' code is in the fused file, not in chunks of its own.
      const fused = sourcesOf('chunks/init.js');
      for (const source of [
        'src/init/command.ts',
        'src/templates/load.ts',
        'src/templates/render.ts',
        'src/templates/write.ts',
      ])
        expect(fused).toContain(source);
    },
  );

  it.each(cases)('%s: no source module is in two of the files it loads', (_, args) => {
    const seen = new Map<string, string>();
    for (const file of loadedFiles(args()).files.filter((f) => f.endsWith('.js')))
      for (const source of sourcesOf(file)) {
        expect(seen.get(source), `${source} in ${file}`).toBeUndefined();
        seen.set(source, file);
      }
    expect(seen.size).toBeGreaterThan(10);
  });

  it('the split handler still holds the command for check and onboard', () => {
    expect(sourcesOf('chunks/init-command.js')).toContain('src/init/command.ts');
  });
});

describe("the init path loads nothing of Node's beyond init --help", () => {
  const help = new Set(nodeModules(['init', '--help']));
  // Except import.meta's set-up: init finds its templates from its own URL
  // (help never reads import.meta: the chunks' require is made lazily).
  const importMeta = 'NativeModule internal/modules/esm/initialize_import_meta';
  it.each(cases)('%s', (_, args) => {
    const extra = nodeModules(args()).filter((m) => !help.has(m));
    expect(extra.filter((m) => m !== importMeta)).toEqual([]);
    expect(help.has(importMeta)).toBe(false);
  });

  it('in particular no fs/promises, streams, readline, child_process or crypto', () => {
    const modules = nodeModules(cases[1]![1]());
    for (const name of ['fs/promises', 'stream', 'net', 'readline', 'child_process', 'crypto'])
      expect(modules, name).not.toContain(`NativeModule ${name}`);
  });
});

describe('errors raised in the fused file are the CLI’s own classes', () => {
  const cli = (args: string[]) =>
    spawnSync(process.execPath, [bin, ...args], { cwd: work, encoding: 'utf8' });

  it('UserError (no such template): one line, exit 2', () => {
    const res = cli(['init', 'nosuch']);
    expect(res.status).toBe(2);
    expect(res.stderr).toBe(
      "crossflake init: no template 'nosuch'; there are: bare-metal, darwin, team, wsl-home, wsl-nixos\n",
    );
  });

  it('TemplateError (a broken templates folder): one line, exit 1, no internal error', () => {
    const res = cli(['init', '--list', '--templates-dir', join(work, 'no-such-dir')]);
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(/^crossflake init: .*no such templates directory\n$/);
  });

  it('PathError from io/files (a link in the way) becomes a TargetError: one line, exit 2', () => {
    const target = join(work, 'linked');
    mkdirSync(join(work, 'elsewhere'), { recursive: true });
    writeFileSync(join(work, 'elsewhere', 'keep'), 'x');
    if (!existsSync(target)) symlinkSync(join(work, 'elsewhere'), target);
    const res = cli(['init', 'wsl-home', target, '--non-interactive', ...allParams('wsl-home')]);
    expect(res.status).toBe(2);
    expect(res.stderr).toMatch(/symbolic link/);
    expect(res.stderr).not.toMatch(/internal error/);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('ParserMissing from the self-test (fused, loaded only by --test): one line, exit 1', () => {
    // No nix-instantiate on PATH: the self-test's own error class, caught by
    // the handler's instanceof in the same file.
    const res = spawnSync(process.execPath, [bin, 'init', '--test'], {
      cwd: work,
      encoding: 'utf8',
      env: { ...process.env, PATH: join(work, 'no-such-bin') },
    });
    expect(res.status).toBe(1);
    expect(res.stderr).toBe(
      'crossflake init: nix-instantiate is not installed; --test needs Nix to parse the output\n',
    );
  });

  it('a --json failure is the envelope with the error code', () => {
    const res = cli(['init', 'nosuch', '--json']);
    expect(res.status).toBe(2);
    const envelope = JSON.parse(res.stdout) as { ok: boolean; error: { code: string } };
    expect(envelope.ok).toBe(false);
    expect(envelope.error.code).toBe('invalid-input');
  });
});
