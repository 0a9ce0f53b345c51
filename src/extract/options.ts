// Which crossflake.* option could carry a personal value, so a module that is
// shareable except for a few values can take them as parameters. Every name
// returned here is declared in nix/modules/shared/personal.nix (personal.<x>
// as a key of the free-form `personal`), which the NixOS, nix-darwin and
// home-manager base modules import; test/extract/options-declared.test.ts
// fails when a new suggestion has no declaration.
import type { BoundPath } from '../nixlang/visit.js';

export type ValueKind =
  'user' | 'host' | 'domain' | 'email' | 'full-name' | 'windows-user' | 'ssh-key' | 'other';

export function suggestOption(kind: ValueKind, binding: BoundPath | null): string {
  const path = binding?.path.filter((p): p is string => p !== null) ?? [];
  // A user's home path in an alias points at their flake checkout; a host or
  // a Windows account there is still a host or a Windows account.
  if (path.includes('shellAliases') && (kind === 'user' || kind === 'other'))
    return 'crossflake.user.flake';
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
    case 'domain':
      return 'crossflake.personal.domain';
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
