// Repository paths in backticks (`nix/modules/nixos/base.nix`) must exist.
// Only paths under a top-level folder the repository has are checked, so a
// path in another repository (a team's `.github/workflows/ci.yml`) or a
// placeholder (`dist/<version>/`) is not flagged.
import type { Finding, LintRule } from '../lint-rule.js';
import { nearest } from '../nearest.js';

const CODE_SPAN = /`([^`\s]+)`/g;

function candidatePath(span: string): string | null {
  if (!span.includes('/') || /[<>*{}$?]|\.\.\.|:\/\/|^[~/.]|#/.test(span)) return null;
  if (!/^[\w.@+-]+(\/[\w.@+-]*)+$/.test(span)) return null;
  return span.replace(/\/$/, '');
}

export const repoPaths: LintRule = {
  id: 'repo-path',
  run(ctx) {
    const out: Finding[] = [];
    const all = [...ctx.repoPaths];
    for (const { number, text, fenced } of ctx.lines) {
      if (fenced) continue;
      for (const m of text.matchAll(CODE_SPAN)) {
        const path = candidatePath(m[1]!);
        if (!path || ctx.repoPaths.has(path)) continue;
        const top = path.split('/')[0]!;
        if (!ctx.repoPaths.has(top)) continue;
        const siblings = all.filter((p) => p.startsWith(`${top}/`));
        out.push({
          file: ctx.file,
          line: number,
          column: (m.index ?? 0) + 2,
          rule: 'repo-path',
          text: m[1]!,
          message: `path '${m[1]}' does not exist in the repository`,
          suggestion: nearest(path, siblings),
        });
      }
    }
    return out;
  },
};
