// The personal repo's own entry points: the root flake.nix and any file that
// defines a configuration (nixosConfigurations.<host>, homeConfigurations.
// "<user>@<host>" ...). They name people and machines by design and stay.
import type { Evidence } from '../model.js';
import type { Rule } from './rule.js';
import { inTemplates } from '../placeholders.js';

const CONFIG_NAMES = ['nixosConfigurations', 'darwinConfigurations', 'homeConfigurations'];
const CONFIGS = new Set(CONFIG_NAMES);

export const entryPoints: Rule = {
  id: 'entry-points',
  summary: "the repo's flake.nix and files that define nixos/darwin/homeConfigurations",
  check(ctx) {
    const out: Evidence[] = [];
    // A template's flake defines the configuration of whoever uses it.
    if (inTemplates(ctx.file.path)) return out;
    if (ctx.file.path === 'flake.nix') {
      out.push(ctx.evidence(this.id, 'personal', 0, 0, "the personal repo's flake.nix"));
    }
    const configs = CONFIG_NAMES.some((c) => ctx.names.has(c));
    for (const b of configs ? ctx.bound : []) {
      // The one place the name may stand: second to last. Most bindings stop here.
      const at = b.path[b.path.length - 2];
      if (at === undefined || at === null || !CONFIGS.has(at)) continue;
      const i = b.path.findIndex((p) => p !== null && CONFIGS.has(p));
      if (i >= 0 && b.path.length === i + 2 && (i === 0 || b.path[i - 1] === 'flake')) {
        out.push(
          ctx.evidence(
            this.id,
            'personal',
            b.binding.start,
            b.binding.end,
            `defines ${b.path.slice(i).join('.')}`,
          ),
        );
      }
    }
    return out;
  },
};
