// House rules of the module code, checked on the source: every option lives
// under `crossflake.*` and has a type and a description. (Evaluating the
// modules needs nixpkgs; `nix flake check` does that in CI.)
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot, walkFiles } from './helpers.js';

const moduleFiles = walkFiles('nix/modules', (f) => f.endsWith('.nix'));

/** The text of each `mkOption { ... }` call, with its line number. */
function optionBlocks(text: string): { line: number; body: string }[] {
  const blocks: { line: number; body: string }[] = [];
  for (const m of text.matchAll(/mkOption\s*\{/g)) {
    const open = (m.index ?? 0) + m[0].length - 1;
    let depth = 0;
    let end = open;
    for (; end < text.length; end++) {
      if (text[end] === '{') depth++;
      else if (text[end] === '}' && --depth === 0) break;
    }
    blocks.push({ line: text.slice(0, open).split('\n').length, body: text.slice(open, end + 1) });
  }
  return blocks;
}

/** Top-level option namespaces a module declares (`options.<ns>`). */
function declaredNamespaces(text: string): string[] {
  return [...text.matchAll(/(?<![\w./])options\.([A-Za-z0-9_-]+)/g)].map((m) => m[1] ?? '');
}

describe('module source rules', () => {
  it('finds the module files', () => {
    expect(moduleFiles.length).toBeGreaterThanOrEqual(10);
  });

  it.each(moduleFiles)('%s declares options only under crossflake.*', (file) => {
    const text = readFileSync(path.join(repoRoot, file), 'utf8');
    for (const ns of declaredNamespaces(text)) expect(ns).toBe('crossflake');
  });

  it.each(moduleFiles)('%s: every mkOption has a type and a description', (file) => {
    const text = readFileSync(path.join(repoRoot, file), 'utf8');
    const missing = optionBlocks(text)
      .filter((b) => !/\btype\s*=/.test(b.body) || !/\bdescription\s*=/.test(b.body))
      .map((b) => `${file}:${b.line}`);
    expect(missing).toEqual([]);
  });

  it('the rules catch violations (recorded examples)', () => {
    const bad = '{ options.services.x = lib.mkOption { default = 1; }; }';
    expect(declaredNamespaces(bad)).toEqual(['services']);
    expect(optionBlocks(bad)).toHaveLength(1);
    expect(optionBlocks(bad)[0]?.body).not.toMatch(/description\s*=/);
    const good =
      'imports = [ ./options.nix ]; options.crossflake.y = mkOption { type = t; description = "d"; };';
    expect(declaredNamespaces(good)).toEqual(['crossflake']);
    expect(optionBlocks(good)[0]?.body).toMatch(/description/);
  });
});
