// The npm package as npm really packs it: `npm pack` on a copy of the
// package sources (so prepack's release build never rewrites this checkout's
// dist/ under other tests), then the tarball installed into a fresh folder
// the way a user installs it.
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = path.resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  license: string;
  repository: { url: string };
  homepage: string;
  bugs: { url: string };
  scripts: Record<string, string>;
};

// What the build reads: sources, data, templates, the scripts, the manifests.
const SOURCES = [
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'README.md',
  'LICENSE',
  'bin',
  'src',
  'data',
  'templates',
  'scripts',
];

function npm(args: string[], cwd: string) {
  const r = spawnSync('npm', args, {
    cwd,
    encoding: 'utf8',
    timeout: 300_000,
    // A user's npm: no CI quietening, no inherited lifecycle state from `npm test`.
    env: Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !k.startsWith('npm_') && k !== 'INIT_CWD'),
    ),
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface PackEntry {
  files: { path: string }[];
}

describe('the npm package', () => {
  let tmp: string;
  let copy: string;
  let files: string[];
  let tarball: string;

  beforeAll(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'crossflake-pack-'));
    copy = path.join(tmp, 'src');
    mkdirSync(copy);
    for (const entry of SOURCES)
      cpSync(path.join(repo, entry), path.join(copy, entry), { recursive: true });
    symlinkSync(path.join(repo, 'node_modules'), path.join(copy, 'node_modules'), 'dir');
    const dry = npm(['pack', '--dry-run', '--json'], copy);
    if (dry.code !== 0) throw new Error(`npm pack --dry-run failed:\n${dry.stderr}`);
    files = (JSON.parse(dry.stdout) as PackEntry[])[0]!.files.map((f) => f.path).sort();
    const real = npm(['pack', '--json', '--pack-destination', tmp], copy);
    if (real.code !== 0) throw new Error(`npm pack failed:\n${real.stderr}`);
    tarball = path.join(tmp, `${pkg.name}-${pkg.version}.tgz`);
  }, 600_000);

  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('ships the CLI, the licence and the notices, and no source maps or sources', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'LICENSE',
        'THIRD-PARTY-NOTICES',
        'README.md',
        'package.json',
        'bin/crossflake.js',
        'dist/cli.js',
        'data/platforms.json',
      ]),
    );
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    expect(files.filter((f) => /^(src|scripts|test|node_modules)\//.test(f))).toEqual([]);
  });

  it('LICENSE is the MIT licence package.json declares, held by the crossflake authors', () => {
    const text = readFileSync(path.join(copy, 'LICENSE'), 'utf8');
    expect(pkg.license).toBe('MIT');
    expect(text).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} the crossflake authors\n/);
    expect(text).toContain('THE SOFTWARE IS PROVIDED "AS IS"');
  });

  it('THIRD-PARTY-NOTICES carries the licence text of every package whose code is in the packed dist/', () => {
    const notices = readFileSync(path.join(copy, 'THIRD-PARTY-NOTICES'), 'utf8');
    // esbuild marks each bundled module with a `// <path>` comment: read the
    // packages from the shipped files themselves, not from the build's list.
    // The package's folder, nested ones included (wrap-ansi/node_modules/ansi-styles
    // is another version than the top-level ansi-styles).
    const bundled = new Map<string, string>();
    for (const file of files.filter((f) => f.endsWith('.js') && f.startsWith('dist/'))) {
      const text = readFileSync(path.join(copy, file), 'utf8');
      for (const m of text.matchAll(/^\/\/ ((?:\S*\/)?node_modules\/((?:@[^/\s]+\/)?[^/\s]+))\//gm))
        bundled.set(m[1]!, m[2]!);
    }
    expect([...bundled.values()]).toEqual(
      expect.arrayContaining(['ajv', 'yaml', 'fast-uri', 'semver']),
    );
    for (const [folder, name] of bundled) {
      const dir = path.join(repo, folder);
      const version = (
        JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }
      ).version;
      expect(notices, name).toContain(`\n${name} ${version} (`);
      const licence = readdirSync(dir).find((f) => /^licen[cs]e/i.test(f));
      expect(licence, `${name} has a licence file`).toBeDefined();
      expect(notices, `${name}'s ${licence}`).toContain(
        readFileSync(path.join(dir, licence!), 'utf8').trimEnd(),
      );
    }
  });

  it('names its repository, home page and issue tracker, and builds in prepack, with no install-time script', () => {
    expect(pkg.repository.url).toMatch(/^git\+https:\/\/github\.com\/[^/]+\/crossflake\.git$/);
    expect(pkg.homepage).toMatch(/^https:\/\/github\.com\/[^/]+\/crossflake#readme$/);
    expect(pkg.bugs.url).toMatch(/^https:\/\/github\.com\/[^/]+\/crossflake\/issues$/);
    expect(pkg.scripts.prepack).toBe('node scripts/build.mjs --release');
    for (const hook of ['preinstall', 'install', 'postinstall', 'prepare'])
      expect(pkg.scripts[hook], hook).toBeUndefined();
  });

  it('the packed tarball installs into an empty folder with no install-script warning and runs crossflake --version', () => {
    const app = path.join(tmp, 'app');
    mkdirSync(app);
    writeFileSync(
      path.join(app, 'package.json'),
      '{ "name": "app", "version": "1.0.0", "private": true }\n',
    );
    // --prefer-offline: the dependencies come from npm's cache that `npm ci` filled.
    const r = npm(['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], app);
    expect(r.code, r.stderr).toBe(0);
    expect(`${r.stdout}${r.stderr}`).not.toMatch(/install.?scripts?/i);
    const bin = path.join(app, 'node_modules', '.bin', 'crossflake');
    const version = spawnSync(bin, ['--version'], { encoding: 'utf8' });
    expect(version.stderr).toBe('');
    expect(version.stdout).toBe(`${pkg.version}\n`);
  });
});
