// Flake references in docs: `nixosModules.x`, `homeManagerModules.x`,
// `devShells.<system>.x`, `templates#x` (or `-t <flake>#x`) and `.#x` must
// name real exports.
import type { Finding, LintContext, LintRule } from '../lint-rule.js';
import type { ExportsModel } from '../model.js';
import { CONFIG_GROUPS, MODULE_GROUPS } from '../outline.js';
import { nearest } from '../nearest.js';

// A name ends at a character that cannot continue it; a following `{` or `*`
// means a brace or glob pattern (`generic-vm-{a,b}`), which is not one name.
const NAME = "[A-Za-z_][\\w'-]*(?![\\w'{*-])";
// `<other-flake>.nixosModules.x` names another flake's export: only a bare
// group, or one reached through self or crossflake, is ours.
const GROUPS = [...MODULE_GROUPS, ...CONFIG_GROUPS].join('|');
const GROUP_REF = new RegExp(
  `(?<![\\w.-])(?:(?:inputs\\.)?(?:self|crossflake)\\.)?(${GROUPS})\\.(${NAME})`,
  'g',
);
const SHELL_REF = new RegExp(`(?<![\\w-])devShells\\.([\\w-]+)\\.(${NAME})`, 'g');
const TEMPLATE_REF = new RegExp(
  `(?:#templates\\.|(?<![\\w.-])templates#|-t\\s+\\S+#)(${NAME})`,
  'g',
);
// `.#name` after a space, quote, backtick or paren; `.#<host>` placeholders are not names.
const LOCAL_REF = new RegExp(`(?<=^|[\\s\`'"(])\\.#(${NAME})(?![.])`, 'g');
// Fenced examples of other files (a team's crossflake.json, a workflow) name
// that repository's outputs, not ours.
const DATA_FENCES = new Set(['json', 'jsonc', 'yaml', 'yml', 'toml']);

function localNames(exports: ExportsModel): string[] {
  return [
    ...exports.devShells.map((s) => s.name),
    ...exports.packages.map((p) => p.name),
    ...CONFIG_GROUPS.flatMap((g) => exports.groups[g].map((e) => e.name)),
    ...exports.templates.map((t) => t.name),
  ];
}

interface Hit {
  line: number;
  column: number;
  text: string;
}

function notExported(
  ctx: LintContext,
  hit: Hit,
  what: string,
  wrong: string,
  names: string[],
): Finding {
  return {
    file: ctx.file,
    ...hit,
    rule: 'flake-ref',
    message: `${what} '${wrong}' is not exported`,
    suggestion: nearest(wrong, names),
  };
}

export const flakeRefs: LintRule = {
  id: 'flake-ref',
  run(ctx) {
    const out: Finding[] = [];
    const { exports } = ctx;
    const shellNames = exports.devShells.map((s) => s.name);
    const locals = localNames(exports);
    const templateNames = exports.templates.map((t) => t.name);
    for (const { number, text, lang } of ctx.lines) {
      if (DATA_FENCES.has(lang)) continue;
      const hit = (m: RegExpMatchArray): Hit => ({
        line: number,
        column: (m.index ?? 0) + 1,
        text: m[0],
      });
      for (const m of text.matchAll(GROUP_REF)) {
        const group = m[1] as keyof ExportsModel['groups'];
        const names = exports.groups[group].map((e) => e.name);
        if (!names.includes(m[2]!)) out.push(notExported(ctx, hit(m), group, m[2]!, names));
      }
      for (const m of text.matchAll(SHELL_REF)) {
        const shell = exports.devShells.find((s) => s.name === m[2]);
        if (!shell) out.push(notExported(ctx, hit(m), 'devShell', m[2]!, shellNames));
        else if (!shell.systems.includes(m[1]!)) {
          out.push({
            file: ctx.file,
            ...hit(m),
            rule: 'flake-ref',
            message: `devShell '${m[2]}' is not exported for ${m[1]}`,
            suggestion: `devShells.${nearest(m[1]!, shell.systems) ?? shell.systems[0]}.${m[2]}`,
          });
        }
      }
      for (const m of text.matchAll(TEMPLATE_REF)) {
        if (!templateNames.includes(m[1]!))
          out.push(notExported(ctx, hit(m), 'template', m[1]!, templateNames));
      }
      for (const m of text.matchAll(LOCAL_REF)) {
        if (!locals.includes(m[1]!))
          out.push(notExported(ctx, hit(m), 'flake output', m[1]!, locals));
      }
    }
    return out;
  },
};
