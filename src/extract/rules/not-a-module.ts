// "Exported but not a module": a file (or an inline value) exported under
// nixosModules/homeModules/... or listed in `imports` that is plain data, an
// attribute set of strings such as SSH keys, where the module system expects
// a function or a set of options.
import type { Evidence } from '../model.js';
import { looksLikeModule } from '../shape.js';
import type { Rule } from './rule.js';

export const notAModule: Rule = {
  id: 'not-a-module',
  summary: 'a plain attribute set of data exported or imported where a module is expected',
  check(ctx) {
    const out: Evidence[] = [];
    if (ctx.repo.moduleTargets.has(ctx.file.path) && looksLikeModule(ctx.tree.root) === false) {
      out.push(
        ctx.evidence(
          this.id,
          'not-a-module',
          ctx.tree.root.start,
          ctx.tree.root.start,
          'plain data used as a module',
        ),
      );
    }
    for (const e of ctx.repo.exports) {
      if (e.file === ctx.file.path && e.isModule === false) {
        const start = 0;
        const ev = ctx.evidence(
          this.id,
          'not-a-module',
          start,
          start,
          `${e.output}.${e.name} is plain data, not a module`,
        );
        out.push({ ...ev, line: e.line, column: 1 });
      }
    }
    return out;
  },
};
