// Telling a module from plain data. A module is a function, or an attribute
// set that sets options (known top-level option names, or non-data values);
// data is an attribute set or list of strings and numbers under names no
// module system knows (FIELD-NOTES: an "exported module" that was a set of
// SSH keys).
import type { Expr } from '../nixlang/index.js';
import { attrNameText } from '../nixlang/visit.js';

const MODULE_ROOTS = new Set([
  'imports',
  'options',
  'config',
  '_file',
  'key',
  'disabledModules',
  'meta',
  'freeformType',
  '_class',
  'services',
  'programs',
  'environment',
  'boot',
  'networking',
  'users',
  'home',
  'nix',
  'nixpkgs',
  'system',
  'hardware',
  'fileSystems',
  'swapDevices',
  'security',
  'virtualisation',
  'fonts',
  'i18n',
  'time',
  'xdg',
  'launchd',
  'homebrew',
  'targets',
  'systemd',
  'documentation',
  'console',
  'sound',
  'powerManagement',
  'wsl',
  'sops',
  'age',
  'crossflake',
  'qt',
  'gtk',
  'dconf',
  'accounts',
  'manual',
  'news',
  'location',
  'zramSwap',
  'specialisation',
  'containers',
  'home-manager',
  'perSystem',
  'flake',
  'systems',
  'assertions',
  'warnings',
  'editorconfig',
  'stylix',
  'catppuccin',
  'nixos',
  'disko',
  'lib',
]);

function unparen(e: Expr): Expr {
  while (e.type === 'Paren') e = e.expr;
  return e;
}

function isDataValue(e: Expr): boolean {
  e = unparen(e);
  switch (e.type) {
    case 'String':
    case 'IndentedString':
    case 'Int':
    case 'Float':
    case 'Path':
      return true;
    case 'List':
      return e.items.every(isDataValue);
    case 'Attrs':
      return !e.rec && e.bindings.every((b) => b.type === 'Binding' && isDataValue(b.value));
    default:
      return false;
  }
}

/** True for a module, false for plain data; null when the shape cannot tell (a call, a variable). */
export function looksLikeModule(expr: Expr): boolean | null {
  const e = unparen(expr);
  if (e.type === 'Lambda') return true;
  if (e.type === 'List' || e.type === 'String' || e.type === 'IndentedString' || e.type === 'Int')
    return false;
  if (e.type !== 'Attrs') return null;
  if (e.bindings.length === 0) return true;
  for (const b of e.bindings) {
    const head = b.type === 'Binding' && b.path[0] ? attrNameText(b.path[0]) : null;
    if (head && MODULE_ROOTS.has(head)) return true;
  }
  return !e.bindings.every((b) => b.type === 'Binding' && isDataValue(b.value));
}
