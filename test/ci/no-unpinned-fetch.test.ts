// The default generated workflows fetch nothing by a loose name: no npx or npm
// package, no registry flake (`nixpkgs#...`, `github:...`) and no download
// piped to a shell; crossflake itself comes from the input flake.lock pins,
// and every action is pinned to a released version. Every generated file, for
// every fixture flake shape and both providers, is scanned.
import { describe, expect, it } from 'vitest';
import { generateFiles } from '../../src/ci/generate.js';
import { SHAPES, makeInput } from './helpers/input.js';

const LOOSE_FETCHES: [string, RegExp][] = [
  ['npx', /\bnpx\b/],
  ['npm exec/install', /\bnpm\s+(exec|x|i|install|ci)\b/],
  ['a registry flake', /(^|\s)(nixpkgs|github:|gitlab:|sourcehut:|https?:)[^\s]*#/m],
  ['a flake from the registry without --inputs-from', /\bnix\s+(run|shell)\s+(?!--inputs-from \.)/],
  ['a download', /\b(curl|wget)\b/],
  ['pip', /\bpip3?\s+install\b/],
];

function looseFetches(text: string): string[] {
  return LOOSE_FETCHES.filter(([, re]) => re.test(text)).map(([what]) => what);
}

const files = SHAPES.flatMap((shape) =>
  (['github', 'gitlab'] as const).flatMap((provider) => {
    try {
      return generateFiles(makeInput(shape), provider).map((f) => ({ shape, provider, ...f }));
    } catch {
      return []; // a shape GitLab cannot host at all (no Linux row) makes no file
    }
  }),
);

describe('default generated CI fetches nothing unpinned', () => {
  it('covers every shape on GitHub', () => {
    expect(new Set(files.filter((f) => f.provider === 'github').map((f) => f.shape))).toEqual(
      new Set(SHAPES),
    );
  });

  it.each(files.map((f) => [`${f.shape} ${f.path}`, f.content]))('%s', (_name, content) => {
    expect(looseFetches(content)).toEqual([]);
    for (const [, action] of content.matchAll(/uses: (\S+)/g)) {
      expect(action).toMatch(/@v\d+(\.\d+)*$/);
    }
  });

  it('the scan is live: what main generated before, and other loose fetches, are found', () => {
    expect(looseFetches('run: npx --yes crossflake@0.1.0 init --test')).toEqual(['npx']);
    expect(looseFetches('- nix shell nixpkgs#nodejs --command true')).toEqual([
      'a registry flake',
      'a flake from the registry without --inputs-from',
    ]);
    expect(looseFetches('run: nix run github:acme/tool#x')).toEqual([
      'a registry flake',
      'a flake from the registry without --inputs-from',
    ]);
    expect(looseFetches('run: curl -fsSL https://x.example/i.sh | sh')).toEqual(['a download']);
  });
});
