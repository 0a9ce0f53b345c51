// crossflake's own CLI as a Nix package (nix/package.nix, flake.nix's
// packages.<system>.crossflake/default and apps): the version comes from
// package.json; the offline harness evaluates the flake's package with the
// stub pkgs' recording buildNpmPackage/importNpmLock (test/nix/harness) and
// shows what Nix would build from; nix/package.nix called directly with the
// real nixpkgs lib shows the source it copies and the lock it hands to
// importNpmLock. Building it needs nixpkgs (`nix build .#crossflake` where
// the network exists).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { needsNix, nixVersion } from '../helpers/nix.js';
import { type HarnessResult, runHarness, upstreamDir } from './harness-run.js';
import { nixString, repoRoot, runNix } from './helpers.js';

const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  description: string;
  bin: Record<string, string>;
};
const expression = readFileSync(path.join(repoRoot, 'nix/package.nix'), 'utf8');
const flake = readFileSync(path.join(repoRoot, 'flake.nix'), 'utf8');
const systems = ['aarch64-darwin', 'aarch64-linux', 'x86_64-darwin', 'x86_64-linux'];

describe("the version of the Nix package is package.json's", () => {
  it('nix/package.nix reads name and version from package.json and writes no version of its own', () => {
    expect(expression).toContain('manifest = lib.importJSON (root + "/package.json");');
    expect(expression).toMatch(/^ {2}pname = manifest\.name;$/m);
    expect(expression).toMatch(/^ {2}inherit \(manifest\) version;$/m);
    expect(expression).toContain('root = ../.;');
    // No version literal that could drift from package.json.
    expect(expression).not.toContain(`"${pkg.version}"`);
    expect(expression).not.toMatch(/version = "/);
  });

  it('uses nodejs_22, importNpmLock on the repository root and its npmConfigHook', () => {
    expect(expression).toMatch(/^ {2}nodejs = nodejs_22;$/m);
    expect(expression).toMatch(/npmDeps = importNpmLock \{\n\s+npmRoot = root;/);
    expect(expression).toMatch(/^ {2}npmConfigHook = importNpmLock\.npmConfigHook;$/m);
    // The lock has no `resolved` URLs: the flake names the public registry.
    expect(flake).toMatch(
      /callPackage \.\/nix\/package\.nix \{\n\s+npmRegistry = "https:\/\/registry\.npmjs\.org";\n\s+\}/,
    );
  });
});

const hasUpstream = existsSync(upstreamDir);
const skipNote = hasUpstream ? needsNix : ' (skipped: ../shared/upstream is missing)';

describe.skipIf(!nixVersion || !hasUpstream)(
  `the flake's crossflake package and app, through the harness's recording buildNpmPackage${skipNote}`,
  () => {
    let result: HarnessResult;
    const names = systems.flatMap((s) => [`packages.${s}.crossflake`, `packages.${s}.default`]);

    beforeAll(async () => {
      result = await runHarness(repoRoot, names);
    }, 600_000);

    const facts = (name: string) => result.entries[name]?.facts as Record<string, unknown>;

    it('has the package and its default alias on all four systems, and the apps', () => {
      expect(result.failures).toEqual({});
      expect(Object.keys(result.entries).sort()).toEqual([...names].sort());
      expect(result.data.apps).toEqual(
        Object.fromEntries(systems.map((s) => [s, ['crossflake', 'default']])),
      );
    });

    it("builds package.json's name and version with Node 22 from the repository's lock, the release build, one pack", () => {
      for (const name of names) {
        const f = facts(name);
        expect(f, name).toMatchObject({
          pname: pkg.name,
          version: pkg.version,
          nodejs: 'nodejs-22',
          npmConfigHook: 'npm-config-hook',
          npmRoot: repoRoot,
          npmDepsVersion: pkg.version,
          npmBuildScript: 'build:release',
          npmPackFlags: ['--ignore-scripts'],
          license: 'MIT',
        });
        expect(f.src).toMatch(/^\/nix\/store\/[a-z0-9]{32}-crossflake-source$/);
        const lock = JSON.parse(readFileSync(path.join(repoRoot, 'package-lock.json'), 'utf8')) as {
          packages: Record<string, unknown>;
        };
        expect(f.lockEntries).toBe(Object.keys(lock.packages).length - 1);
        // A lock without tarball URLs stops the build with a message (not npm's
        // cache miss); a lock with them builds.
        expect(f.stopsForUnresolvedLock, name).toBe(
          (f.lockEntriesWithUrl as number) < (f.lockEntries as number),
        );
      }
    });

    it('installs bin/crossflake (package.json bin), which meta.mainProgram and both apps run', () => {
      for (const system of systems) {
        const f = facts(`packages.${system}.crossflake`);
        expect(Object.keys(pkg.bin)).toEqual(['crossflake']);
        expect(f.bins).toEqual(['crossflake']);
        expect(f.mainProgram).toBe('crossflake');
        expect(f.app).toBe(`${String(f.out)}/bin/crossflake`);
        expect(f.defaultApp).toBe(f.app);
        // `default` is the same derivation.
        expect(facts(`packages.${system}.default`).out).toBe(f.out);
      }
    });
  },
);

// nix/package.nix called with the real nixpkgs lib and stand-ins that hand
// back their arguments; read-write mode so the source really is copied to
// the store and can be listed.
function callPackageNix(extra: string): string {
  return `(let
    lib = import ${nixString(path.join(upstreamDir, 'nixpkgs-lib', 'lib'))};
    args = import ${nixString(path.join(repoRoot, 'nix', 'package.nix'))} ({
      inherit lib;
      buildNpmPackage = a: a;
      importNpmLock = { __functor = _: a: a; npmConfigHook = "hook"; };
      nodejs_22 = "node";
    } // ${extra});
  in args)`;
}

describe.skipIf(!nixVersion || !hasUpstream)(`nix/package.nix, called directly${skipNote}`, () => {
  it('copies only what the build reads into the store: no node_modules, dist or tests', () => {
    const expr = `let a = ${callPackageNix('{ }')}; in builtins.attrNames (builtins.readDir a.src)`;
    const r = runNix('nix-instantiate', [
      '--eval',
      '--strict',
      '--json',
      '--read-write-mode',
      '-E',
      expr,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([
      'LICENSE',
      'README.md',
      'bin',
      'data',
      'package-lock.json',
      'package.json',
      'scripts',
      'src',
      'templates',
      'tsconfig.json',
    ]);
  });

  it('without npmRegistry, a lock entry with no `resolved` URL stops the build at once, naming it', () => {
    const expr = `(${callPackageNix('{ }')}).preConfigure`;
    const r = runNix('nix-instantiate', ['--eval', '--json', '-E', expr]);
    expect(r.code, r.stderr).toBe(0);
    const stop = JSON.parse(r.stdout) as string;
    const lock = JSON.parse(readFileSync(path.join(repoRoot, 'package-lock.json'), 'utf8')) as {
      packages: Record<
        string,
        { version?: string; resolved?: string; link?: boolean; inBundle?: boolean }
      >;
    };
    const unresolved = Object.entries(lock.packages)
      .filter(([k, e]) => k !== '' && !e.resolved && e.version && !e.link && !e.inBundle)
      .map(([k]) => k)
      .sort();
    if (unresolved.length === 0) {
      expect(stop).toBe('');
      return;
    }
    // The snippet as the builder's bash runs it.
    const run = spawnSync('bash', ['-c', stop], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      `crossflake: package-lock.json has ${unresolved.length} entries without a resolved URL (first: ${unresolved[0]}); call nix/package.nix with npmRegistry = "<npm registry URL>", or write the lock without omit-lockfile-registry-resolved\n`,
    );
  });

  it("with npmRegistry, gives every lock entry without `resolved` npm's tarball URL and keeps its integrity", () => {
    const registry = 'http://127.0.0.1:9/registry/';
    const expr = `let a = ${callPackageNix(`{ npmRegistry = "${registry}"; }`)}; in { stop = a.preConfigure; packages = builtins.mapAttrs (_: e: { resolved = e.resolved or null; integrity = e.integrity or null; }) a.npmDeps.packageLock.packages; }`;
    const r = runNix('nix-instantiate', ['--eval', '--strict', '--json', '-E', expr]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as {
      stop: string;
      packages: Record<string, { resolved: string | null; integrity: string | null }>;
    };
    expect(out.stop).toBe('');
    const got = out.packages;
    const lock = JSON.parse(readFileSync(path.join(repoRoot, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { version?: string; integrity?: string; name?: string }>;
    };
    for (const [key, entry] of Object.entries(lock.packages)) {
      if (key === '') continue;
      const name = entry.name ?? key.split('node_modules/').at(-1)!;
      const base = name.split('/').at(-1)!;
      // npm's registry layout: <registry>/<name>/-/<name without scope>-<version>.tgz
      expect(got[key]?.resolved, key).toBe(`${registry}${name}/-/${base}-${entry.version}.tgz`);
      expect(got[key]?.integrity, key).toBe(entry.integrity);
    }
    expect(got['node_modules/@actions/workflow-parser']?.resolved).toBe(
      `${registry}@actions/workflow-parser/-/workflow-parser-${lock.packages['node_modules/@actions/workflow-parser']!.version}.tgz`,
    );
  });
});
