// A host's name is often also the name of something else: a host called
// `wsl` or `darwin` beside the NixOS-WSL input, the nix-darwin input called
// `darwin`, a modules/wsl directory and every `wsl.*` option. Where the word
// stands says which it is; these are the places where it is not the host.
import type { Piece } from './rules/rule.js';

// Directories that group modules by name: a host-named directory in them is a module's.
export const MODULE_DIRS = new Set([
  'modules',
  'nixos',
  'darwin',
  'home',
  'home-manager',
  'hm',
  'profiles',
  'roles',
  'features',
  'services',
  'programs',
  'common',
  'shared',
  'platforms',
  'mixins',
]);
// Directories whose children are machines.
const HOST_DIRS =
  /(?:^|\/)(?:hosts|machines|systems|nodes|configurations|computers)\/(?:[\w-]+\/)?$/;
// The word as part of a tool's name: wsl.exe, \\wsl$, wsl.localhost, wsl.conf.
const TOOL_SUFFIX = /^(?:\.(?:exe|conf|localhost|ps1|sh|nix|json|toml|ya?ml)\b|\$)/;

/**
 * Whether the word at `index` of the piece (a learned host name) names
 * something other than the host: an attribute path's prefix (an option
 * namespace `wsl.enable`, an input's outputs `darwin.lib`), a function
 * argument or inherited name, a flake input or exported module, a module
 * directory, part of a longer hyphenated name or of a tool's name.
 */
export function notTheHost(source: string, piece: Piece, index: number, word: string): boolean {
  const end = index + word.length;
  const before = piece.text.slice(0, index);
  const after = piece.text.slice(end);
  if (piece.kind === 'name') {
    const next = /^\s*(.)/.exec(source.slice(piece.end, piece.end + 40))?.[1] ?? '';
    // `wsl.enable`, `darwin.lib.darwinSystem`; `{ self, darwin, ... }`; `inherit darwin;`.
    if (next === '.' || next === ',' || next === '}' || next === '?' || next === ';') return true;
    const prev = source.slice(Math.max(0, piece.start - 40), piece.start);
    return /(?:\binputs|Modules|\bmodules)\.\s*"?$/.test(prev) || /\binherit\b[^;=]*$/.test(prev);
  }
  if (before.endsWith('-') || after.startsWith('-') || TOOL_SUFFIX.test(after)) return true;
  // A path, or a relative path written as a string ("wsl/profile.ps1"), names
  // a host only as a machine's directory or file. Absolute paths and URLs
  // (/srv/backup/<host>, ssh://...:/borg/<host>) are not modules: there it is the host.
  const relative =
    piece.kind === 'string' &&
    !/^\/|:/.test(piece.text) &&
    (before.endsWith('/') || after.startsWith('/'));
  if (piece.kind === 'path' || relative) return !HOST_DIRS.test(before) && !isStem(before, after);
  return false;
}

/** `./kite.nix` at the top of a path names its host; `./modules/kite.nix` does not. */
function isStem(before: string, after: string): boolean {
  return /^\.{0,2}\/?$/.test(before) && /^(?:\.nix)?$/.test(after);
}
