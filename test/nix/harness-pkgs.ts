// The package names the harness's stub `pkgs` must answer: every `pkgs.<a>`
// or `pkgs.<a>.<b>` our Nix code selects and every name inside a
// `with pkgs;` body, found with our own parser (src/nixlang), plus the
// `pkgs.<a>[.<b>]` chains the upstream module trees write, found with a
// plain scan (thousands of files; the scan over-collects, which is harmless:
// an extra fake derivation is never looked at).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { decode, parseNix } from '../../src/nixlang/index.js';
import type { Node } from '../../src/nixlang/index.js';
import { attrNameText, walk } from '../../src/nixlang/visit.js';

/** Attributes the stub set defines itself (platforms, builders, formats). */
const OWN = new Set([
  'stdenv',
  'stdenvNoCC',
  'formats',
  'lib',
  'config',
  'path',
  'system',
  'hostPlatform',
  'buildPlatform',
  'targetPlatform',
  'buildPackages',
  'pkgsBuildBuild',
  'callPackage',
  'overlays',
  'dockerTools',
  'writeShellApplication',
  'writeShellScriptBin',
  'writeShellScript',
  'writeText',
  'writeTextFile',
  'writeTextDir',
  'writeScript',
  'runCommand',
  'runCommandLocal',
  'symlinkJoin',
  'buildEnv',
  'linkFarm',
  'buildNpmPackage',
  'importNpmLock',
  'nodejs_22',
]);

/** Attributes every fake derivation has; a chain ending in one is not a package. */
const DERIVATION_ATTRS = new Set([
  'override',
  'overrideAttrs',
  'outPath',
  'meta',
  'name',
  'pname',
  'version',
  'src',
  'passthru',
  'out',
  'bin',
  'dev',
  'man',
  'lib',
  'system',
]);

function nixFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const abs = path.join(dir, name);
    if (statSync(abs).isDirectory()) out.push(...nixFiles(abs));
    else if (name.endsWith('.nix')) out.push(abs);
  }
  return out;
}

function isPkgs(node: Node): boolean {
  return node.type === 'Var' && decode(node.name) === 'pkgs';
}

/** Names our own file uses from `pkgs`, read from its syntax tree. */
export function ownPackageNames(source: string): string[] {
  const tree = parseNix(source, { check: false });
  const names: string[] = [];
  walk(tree.root, (node) => {
    if (node.type === 'Select' && isPkgs(node.expr)) {
      const parts = node.path.slice(0, 2).map(attrNameText);
      if (parts[0]) names.push(parts[1] ? `${parts[0]}.${parts[1]}` : parts[0]);
    }
    if (node.type === 'With' && isPkgs(node.env)) {
      walk(node.body, (inner) => {
        if (inner.type === 'Var') names.push(decode(inner.name));
      });
    }
  });
  return names;
}

const UPSTREAM_CHAIN = /pkgs\.([A-Za-z_][\w'-]*)(?:\.([A-Za-z_][\w'-]*))?/g;
// `mkPackageOption pkgs "name"`, `mkPackageOption pkgs [ "set" "name" ]` and
// their `{ default = ...; }`: names looked up by string, not as `pkgs.x`.
const PACKAGE_OPTION = /mkPackageOption\s+pkgs\s+(?:"([^"]+)"|\[([^\]]+)\])/g;
const PACKAGE_DEFAULT =
  /mkPackageOption\s+pkgs\s+(?:"[^"]+"|\[[^\]]+\]|\S+)\s*\{[^}]*?default\s*=\s*(?:"([^"]+)"|\[([^\]]+)\])/g;

function quotedChain(single: string | undefined, list: string | undefined): string {
  return single ?? [...(list ?? '').matchAll(/"([^"]+)"/g)].map((m) => m[1]).join('.');
}

function upstreamPackageNames(source: string): string[] {
  const names: string[] = [];
  for (const m of source.matchAll(UPSTREAM_CHAIN)) {
    names.push(m[2] ? `${m[1]}.${m[2]}` : m[1]!);
  }
  for (const re of [PACKAGE_OPTION, PACKAGE_DEFAULT]) {
    for (const m of source.matchAll(re)) names.push(quotedChain(m[1], m[2]));
  }
  return names.filter((n) => n !== '');
}

function keep(name: string): boolean {
  const [head, second] = name.split('.');
  if (OWN.has(head!)) return false;
  return second === undefined || !DERIVATION_ATTRS.has(second);
}

/**
 * Every package chain for the stub set: ours (`ownDirs` and `ownFiles`,
 * repo-relative under `root`) and the upstream trees' (`upstreamDirs`).
 */
export function stubPackageNames(
  root: string,
  ownPaths: string[],
  upstreamDirs: string[],
): string[] {
  const names = new Set<string>();
  for (const rel of ownPaths) {
    const abs = path.join(root, rel);
    const files = statSync(abs).isDirectory() ? nixFiles(abs) : [abs];
    for (const file of files)
      for (const n of ownPackageNames(readFileSync(file, 'utf8'))) names.add(n);
  }
  for (const dir of upstreamDirs) {
    for (const file of nixFiles(dir))
      for (const n of upstreamPackageNames(readFileSync(file, 'utf8'))) names.add(n);
  }
  // A name that is also a prefix of a chain keeps both (a.b makes a a set too).
  return [...names].filter(keep).sort();
}
