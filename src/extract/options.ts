// Which crossflake.* option could carry a personal value, so a module that is
// shareable except for a few values can take them as parameters. The names
// follow nix/modules/shared/options.nix where an option exists there
// (crossflake.user.name, .description, .authorizedKeys) and extend the same
// namespace otherwise.
import type { BoundPath } from '../nixlang/visit.js';

export type ValueKind =
  'user' | 'host' | 'email' | 'full-name' | 'windows-user' | 'ssh-key' | 'other';

export function suggestOption(kind: ValueKind, binding: BoundPath | null): string {
  const path = binding?.path.filter((p): p is string => p !== null) ?? [];
  if (path.includes('shellAliases')) return 'crossflake.user.flake';
  switch (kind) {
    case 'email':
      return 'crossflake.user.email';
    case 'full-name':
      return 'crossflake.user.description';
    case 'windows-user':
      return 'crossflake.wsl.windowsUser';
    case 'ssh-key':
      return 'crossflake.user.authorizedKeys';
    case 'host':
      return 'crossflake.host.name';
    case 'user':
      return 'crossflake.user.name';
    default: {
      const last = path[path.length - 1];
      return last && /^[A-Za-z_][\w-]*$/.test(last)
        ? `crossflake.personal.${last}`
        : 'crossflake.personal.value';
    }
  }
}
