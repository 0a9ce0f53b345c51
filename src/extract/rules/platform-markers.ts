// Options that exist on one platform only: NixOS-WSL's `wsl.*` and
// home-manager's `targets.wsl`; nix-darwin's `system.defaults`, `homebrew`,
// `launchd`; Linux-only `boot.*`, `systemd.*`, `targets.genericLinux` and the
// home-manager modules that only run on Linux (Wayland compositors, waybar,
// xdg.userDirs ...). A module that sets them is an adapter for that platform.
import type { Evidence, Platform } from '../model.js';
import { dotted, optionBinding, optionStart } from '../context.js';
import { matches, offsetIn, type Rule } from './rule.js';

const MARKER_LIST: [Platform, string][] = [
  ['wsl', 'wsl'],
  ['wsl', 'targets.wsl'],
  ['darwin', 'system.defaults'],
  ['darwin', 'system.primaryUser'],
  ['darwin', 'system.keyboard'],
  ['darwin', 'homebrew'],
  ['darwin', 'launchd'],
  ['darwin', 'targets.darwin'],
  ['darwin', 'services.nix-daemon'],
  ['darwin', 'security.pam.services.sudo_local'],
  ['darwin', 'networking.computerName'],
  ['darwin', 'networking.localHostName'],
  // nix-darwin modules for macOS programs (modules/services/<name> and
  // modules/nix/linux-builder.nix in nix-darwin/nix-darwin); NixOS has none.
  ['darwin', 'services.aerospace'],
  ['darwin', 'services.jankyborders'],
  ['darwin', 'services.yabai'],
  ['darwin', 'services.skhd'],
  ['darwin', 'services.sketchybar'],
  ['darwin', 'services.karabiner-elements'],
  ['darwin', 'services.spacebar'],
  ['darwin', 'services.sleepwatcher'],
  ['darwin', 'nix.linux-builder'],
  ['linux', 'boot'],
  ['linux', 'systemd'],
  ['linux', 'targets.genericLinux'],
  ['linux', 'services.xserver'],
  ['linux', 'services.pipewire'],
  ['linux', 'hardware.graphics'],
  ['linux', 'networking.networkmanager'],
  ['linux', 'xdg.portal'],
  // home-manager modules that assert Linux (lib.hm.assertions.assertPlatform
  // ... lib.platforms.linux), checked in nix-community/home-manager.
  ['linux', 'wayland.windowManager'],
  ['linux', 'programs.waybar'],
  ['linux', 'programs.mangohud'],
  ['linux', 'services.mako'],
  ['linux', 'services.gnome-keyring'],
  ['linux', 'xdg.userDirs'],
  ['linux', 'xdg.mimeApps'],
];

// The markers by their first segment, in list order: a binding is compared
// only with the markers that can match it.
const MARKERS = new Map<string, [Platform, string[]][]>();
const MARKER_PATHS = MARKER_LIST.map(([, marker]) => marker.split('.'));
for (const [platform, marker] of MARKER_LIST) {
  const want = marker.split('.');
  const list = MARKERS.get(want[0]!) ?? [];
  list.push([platform, want]);
  MARKERS.set(want[0]!, list);
}

// A module wired to NixOS-WSL or nix-darwin by name is an adapter too. Every
// match contains one of the needles, so a file without them is skipped.
const INPUT_MARKERS: [Platform, RegExp, string[]][] = [
  [
    'wsl',
    /\bnixos-wsl\.nixosModules\b|\binputs\.nixos-wsl\b|\/mnt\/[a-z]\//g,
    // `wsl` first: a search for a text that starts with a letter as
    // common as `n` is slow, and most files have no `wsl` at all.
    ['wsl', '/mnt/'],
  ],
  ['darwin', /\bnix-darwin\.darwinModules\b|\binputs\.(?:nix-darwin|darwin)\b/g, ['darwin']],
];

function includesAny(text: string, needles: readonly string[]): boolean {
  for (let i = 0; i < needles.length; i++) if (text.includes(needles[i]!)) return true;
  return false;
}

function startsWith(path: (string | null)[], prefix: string[]): boolean {
  for (let i = 0; i < prefix.length; i++) if (path[i] !== prefix[i]) return false;
  return true;
}

export const platformMarkers: Rule = {
  id: 'platform-markers',
  summary:
    'platform-only options: wsl.*, targets.wsl (wsl); system.defaults, homebrew, launchd (darwin); boot.*, systemd.* (linux)',
  check(ctx) {
    const out: Evidence[] = [];
    // Files that bind no marker's names (most, outside NixOS modules) skip the walk.
    // (Plain loops: this runs on every file, mostly before it is optimised.)
    const bound = ctx.mayBindAny(MARKER_PATHS) ? ctx.bound : [];
    for (let k = 0; k < bound.length; k++) {
      const head = bound[k]!.path[optionStart(bound[k]!.path)];
      const candidates = head === null || head === undefined ? undefined : MARKERS.get(head);
      if (!candidates) continue;
      const b = optionBinding(bound[k]!);
      const own = b.own;
      for (let c = 0; c < candidates.length; c++) {
        const [platform, want] = candidates[c]!;
        if (b.path.length < want.length || own >= want.length) continue;
        if (startsWith(b.path, want)) {
          out.push(
            ctx.evidence(this.id, 'platform', b.binding.start, b.binding.end, dotted(b.path), {
              platform,
            }),
          );
        }
      }
    }
    const src = ctx.tree.source;
    // (Plain loops and no closure: this runs on every file, mostly before it is optimised.)
    for (let k = 0; k < INPUT_MARKERS.length; k++) {
      const [platform, re, needles] = INPUT_MARKERS[k]!;
      if (!includesAny(src, needles)) continue;
      for (const [piece, m] of matches(ctx, re, ['string', 'path'])) {
        const start = offsetIn(piece, m.index);
        out.push(
          ctx.evidence(this.id, 'platform', start, offsetIn(piece, m.index + m[0].length), m[0], {
            platform,
          }),
        );
      }
      re.lastIndex = 0;
      for (let m = re.exec(src); m; m = re.exec(src)) {
        if (m[0].startsWith('/')) continue; // paths are matched above, inside literals only
        out.push(
          ctx.evidence(this.id, 'platform', m.index, m.index + m[0].length, m[0], { platform }),
        );
      }
    }
    return out;
  },
};
