// Facts about one machine: the generated hardware-configuration.nix, file
// systems and swap, disk UUIDs and /dev/disk/by-* paths, MAC addresses,
// predictable interface names (enp3s0, wlp2s0), USB serials, display
// connectors (DP-1, HDMI-A-1), the host name.
import type { Evidence } from '../model.js';
import { constString, dotted, optionBinding, optionStart, type FileContext } from '../context.js';
import { isPlaceholder } from '../placeholders.js';
import { literalText, matches, offsetIn, type Rule } from './rule.js';

const UUID = /\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b/g;
// A UUID names a disk or partition only where devices are set up; elsewhere
// it is an extension ID, a GUID or a device-independent key.
const DEVICE_CONTEXT =
  /^(?:fileSystems|swapDevices|devices?|uuid|luks|disko|resumeDevice|zfs|initrd|hardware|boot)$/;
// Text every UUID contains, found by the regex engine's fast scan for `-`:
// the full pattern, tried at every word boundary of every file, cost four
// times as much over a repository where almost no file holds a UUID.
const UUID_HINT = /-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-/;
const SHORT_UUID = /\/dev\/disk\/by-(?:uuid|id|partuuid|label|partlabel|path)\/[^\s"']+/g;
const MAC = /\b[0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){5}\b/g;
const IFACE = /\b(?:en|wl|ww)(?:p\d+s\d+(?:f\d+)?|o\d+|s\d+|x[0-9a-f]{12})\b/g;
// Text every interface name holds, found by a scan for digits rather than a
// try at each `en` (in every `enable`): a quarter of the cost.
const IFACE_HINT = /\d(?<=(?:en|wl|ww)[pos]\d)|x[0-9a-f]{12}/;
// Display connectors (`DP-1`, `HDMI-A-1`, `eDP-1`): which monitors one machine has.
const CONNECTOR = /\b(?:e?DP|HDMI-[A-C]|DVI-[DI]|VGA)-\d+\b/g;
const SERIAL = /ATTRS?\{serial\}\s*==\s*"?[^",\s]+|ID_SERIAL(?:_SHORT)?\}?\s*==\s*"?[^",\s]+/g;

const VALUES = [UUID, SHORT_UUID, MAC, SERIAL, CONNECTOR];
// Text one of which every match of VALUES holds: a colon-separated MAC
// address's middle, UUID_HINT, ... One scan of the text of a file's strings
// for all of them costs a third of a scan for each, and finds none in most.
const VALUE_HINT =
  /:[0-9a-fA-F]{2}:[0-9a-fA-F]{2}:|-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-|\/dev\/disk\/by-|ATTRS?\{serial\}|ID_SERIAL|(?:DP|HDMI-[A-C]|DVI-[DI]|VGA)-\d/;

const HOST_PATHS = [
  'fileSystems',
  'swapDevices',
  'boot.initrd.luks.devices',
  'boot.initrd.availableKernelModules',
  'networking.hostId',
  'networking.hostName',
  'hardware.cpu',
].map((p) => p.split('.'));
// The paths by first segment: a binding is compared only with those that can match.
const HOST_HEADS = new Map<string, string[][]>();
for (const want of HOST_PATHS)
  HOST_HEADS.set(want[0]!, [...(HOST_HEADS.get(want[0]!) ?? []), want]);

function startsWith(path: (string | null)[], prefix: string[]): boolean {
  for (let i = 0; i < prefix.length; i++) if (path[i] !== prefix[i]) return false;
  return true;
}

// Option documentation: a device path there is an example for a reader, not a device.
const PROSE = new Set([
  'description',
  'longDescription',
  'example',
  'defaultText',
  'literalExample',
]);

/** Whether `offset` is inside an option declaration (`options.x = mkOption { ... }`) or its prose. */
function inProse(ctx: FileContext, offset: number): boolean {
  const path = ctx.settingAt(offset)?.path ?? [];
  return path[0] === 'options' || path.some((p) => p !== null && PROSE.has(p));
}

function inDeviceContext(ctx: FileContext, offset: number): boolean {
  const path = ctx.settingAt(offset)?.path ?? [];
  // Outside any binding (a bare list or string): keep the old, cautious reading.
  return path.length === 0 || path.some((p) => p !== null && DEVICE_CONTEXT.test(p));
}

export const hardware: Rule = {
  id: 'hardware',
  summary:
    'host facts: hardware-configuration.nix, fileSystems, disk UUIDs, MAC addresses, interface names, USB serials, hostName',
  check(ctx) {
    const out: Evidence[] = [];
    if (/(^|\/)hardware-configuration\.nix$/.test(ctx.file.path)) {
      out.push(
        ctx.evidence(
          this.id,
          'host',
          0,
          0,
          'hardware-configuration.nix (generated for one machine)',
        ),
      );
    }
    // Most files bind none of the paths: then no binding needs a look.
    // (Plain loops here and below: this runs on every file, mostly before it is optimised.)
    const bound = ctx.mayBindAny(HOST_PATHS) ? ctx.bound : [];
    for (let k = 0; k < bound.length; k++) {
      const head = bound[k]!.path[optionStart(bound[k]!.path)];
      const candidates = head === null || head === undefined ? undefined : HOST_HEADS.get(head);
      if (!candidates) continue;
      const b = optionBinding(bound[k]!);
      for (let c = 0; c < candidates.length; c++) {
        const want = candidates[c]!;
        // A computed host name is no host fact, nor a template's placeholder.
        if (want[1] === 'hostName' && b.value?.type !== 'String') continue;
        if (want[1] === 'hostName' && isPlaceholder(constString(ctx, b.value) ?? '')) continue;
        // Report a binding once, where its own path reaches the prefix's end.
        if (startsWith(b.path, want) && b.own < want.length && b.path.length >= want.length) {
          out.push(ctx.evidence(this.id, 'host', b.binding.start, b.binding.end, dotted(b.path)));
        }
      }
    }
    const literals = literalText(ctx);
    const values = VALUE_HINT.test(literals) ? VALUES : [];
    for (let r = 0; r < values.length; r++) {
      const re = values[r]!;
      if (re === UUID && !UUID_HINT.test(literals)) continue;
      const needle = re === SHORT_UUID ? '/dev/disk/by-' : undefined;
      for (const [piece, m] of matches(ctx, re, ['string', 'path'], needle)) {
        const start = offsetIn(piece, m.index);
        if (re === UUID && !inDeviceContext(ctx, start)) continue;
        if (inProse(ctx, start)) continue;
        out.push(
          ctx.evidence(this.id, 'host', start, offsetIn(piece, m.index + m[0].length), m[0]),
        );
      }
    }
    const ifaces = IFACE_HINT.test(ctx.tree.source);
    for (const [piece, m] of ifaces ? matches(ctx, IFACE) : []) {
      const start = offsetIn(piece, m.index);
      out.push(ctx.evidence(this.id, 'host', start, offsetIn(piece, m.index + m[0].length), m[0]));
    }
    return out;
  },
};
