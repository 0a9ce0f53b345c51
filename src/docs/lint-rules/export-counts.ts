// Counts of exports stated in prose ("57 modules", "six dev shells") must
// match the code.
import type { Finding, LintRule } from '../lint-rule.js';
import type { ExportsModel } from '../model.js';

const WORDS: Record<string, number> = {
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
};

interface Noun {
  pattern: string;
  what: string;
  count(e: ExportsModel): number;
}

const moduleTotal = (e: ExportsModel) =>
  e.groups.nixosModules.length + e.groups.darwinModules.length + e.groups.homeModules.length;

// Longer phrases first, so "NixOS modules" is not also read as "modules".
const NOUNS: Noun[] = [
  { pattern: 'NixOS modules', what: 'nixosModules', count: (e) => e.groups.nixosModules.length },
  {
    pattern: '(?:nix-)?darwin modules',
    what: 'darwinModules',
    count: (e) => e.groups.darwinModules.length,
  },
  {
    pattern: 'home(?:-manager)? modules',
    what: 'homeModules',
    count: (e) => e.groups.homeModules.length,
  },
  { pattern: 'modules', what: 'nixosModules + darwinModules + homeModules', count: moduleTotal },
  { pattern: 'dev ?shells', what: 'devShells', count: (e) => e.devShells.length },
  { pattern: 'templates', what: 'templates', count: (e) => e.templates.length },
  {
    pattern: '(?:NixOS )?configurations',
    what: 'nixosConfigurations',
    count: (e) => e.groups.nixosConfigurations.length,
  },
  { pattern: 'images', what: 'crossflake.images', count: (e) => e.images.length },
];

const NUMBER = `(\\d+|${Object.keys(WORDS).join('|')})`;
const COUNT = new RegExp(
  `(?<![\\w.-])${NUMBER}\\s+(${NOUNS.map((n) => n.pattern).join('|')})\\b`,
  'gi',
);

export const exportCounts: LintRule = {
  id: 'export-count',
  run(ctx) {
    const out: Finding[] = [];
    for (const { number, text, fenced } of ctx.lines) {
      if (fenced) continue;
      for (const m of text.matchAll(COUNT)) {
        const said = /^\d+$/.test(m[1]!) ? Number(m[1]) : WORDS[m[1]!.toLowerCase()]!;
        const noun = NOUNS.find((n) => new RegExp(`^${n.pattern}$`, 'i').test(m[2]!))!;
        const real = noun.count(ctx.exports);
        if (said === real) continue;
        out.push({
          file: ctx.file,
          line: number,
          column: (m.index ?? 0) + 1,
          rule: 'export-count',
          text: m[0],
          message: `says ${said} ${m[2]}, but the flake exports ${real} (${noun.what})`,
          suggestion: `${real} ${m[2]}`,
        });
      }
    }
    return out;
  },
};
