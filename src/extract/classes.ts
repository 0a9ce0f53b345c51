// Which module system each file belongs to (nixos, darwin, home-manager, or a
// flake-parts module), from the strongest hint available: the output it is
// exported under, being imported under `home-manager.users`, the
// configuration that reaches it, its directory, then the options it sets.
import type { FileContext } from './context.js';
import type { Configuration, FlakeExport, ImportEdge, ModuleClass } from './model.js';
import { MODULE_OUTPUTS } from './outputs.js';

const CONFIG_CLASS: Record<Configuration['output'], ModuleClass> = {
  nixosConfigurations: 'nixos',
  darwinConfigurations: 'darwin',
  homeConfigurations: 'home',
};

/** A file as the classes need it: its path and the class its own content suggests. */
export interface ClassHints {
  path: string;
  byContent: ModuleClass;
}

/**
 * `homeTargets`: the targets of the edges written inside a `home-manager.*`
 * setting, in edge order (see isHomeEdge).
 */
export function classifyModules(
  files: ClassHints[],
  edges: ImportEdge[],
  homeTargets: string[],
  exports: FlakeExport[],
  configurations: Configuration[],
): Map<string, ModuleClass> {
  const out = new Map<string, ModuleClass>();
  const byFrom = new Map<string, ImportEdge[]>();
  for (const e of edges) {
    const list = byFrom.get(e.from);
    if (list) list.push(e);
    else byFrom.set(e.from, [e]);
  }

  // Spread a class down the import graph, never overriding a stronger hint.
  const spread = (start: string[], cls: ModuleClass): void => {
    const queue = [...start];
    while (queue.length > 0) {
      const f = queue.shift()!;
      if (out.has(f) || f === 'flake.nix') continue;
      out.set(f, cls);
      for (const e of byFrom.get(f) ?? []) {
        if (e.kind !== 'callPackage') queue.push(e.to);
      }
    }
  };
  for (const e of exports) {
    const cls = MODULE_OUTPUTS[e.output] ?? 'unknown';
    // An inline export (dendritic `flake.modules.<class>.<name> = { ... }`)
    // gives its class to the file that defines it.
    if (e.targets.length > 0) spread(e.targets, cls);
    else if (!out.has(e.file) && e.file !== 'flake.nix') out.set(e.file, cls);
  }
  spread(homeTargets, 'home');
  for (const c of configurations) spread(c.modules, CONFIG_CLASS[c.output]);
  for (const f of files) {
    if (!out.has(f.path)) out.set(f.path, f.byContent);
  }
  return out;
}

/** `home-manager.sharedModules`; a flake's own `sharedModules` list is not home-manager's. */
export function isHomeEdge(ctx: FileContext, e: ImportEdge): boolean {
  // A file that binds no `home-manager` anywhere has no edge under it: most
  // files, whose every edge would be looked up among all their bindings.
  if (!ctx.names.has('home-manager')) return false;
  const path = ctx.bindingAt(e.start)?.path ?? [];
  return path.includes('home-manager');
}

export function byContent(ctx: FileContext): ModuleClass {
  const p = ctx.file.path;
  if (p === 'flake.nix') return 'unknown';
  // Whether an option path (`heads`) or a bound path (`fullHeads`) starts
  // with `name`: asked only of files that bind the name somewhere.
  const heads = {
    has: (name: string) => ctx.names.has(name) && ctx.options.some((o) => o.path[0] === name),
  };
  const fullHeads = {
    has: (name: string) => ctx.names.has(name) && ctx.bound.some((b) => b.path[0] === name),
  };
  if (fullHeads.has('flake') || fullHeads.has('perSystem')) return 'flake-parts';
  if (/(^|\/)(home|homes|home-manager|hm)(\/|$)/.test(p) || heads.has('home')) return 'home';
  // `<arch>-darwin` / `<arch>-linux`: the system directories of snowfall-lib and the like.
  if (/(^|\/)([a-z0-9_]+-)?darwin(\/|$)/.test(p) || heads.has('homebrew') || heads.has('launchd'))
    return 'darwin';
  if (
    /(^|\/)(nixos|hosts|[a-z0-9_]+-linux)(\/|$)/.test(p) ||
    heads.has('boot') ||
    heads.has('services') ||
    heads.has('users')
  )
    return 'nixos';
  return 'unknown';
}
