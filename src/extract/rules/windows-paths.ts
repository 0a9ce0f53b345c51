// The Windows side of a WSL machine names its person too: a Windows profile
// written as C:\Users\<name>\... (either slash, any case, with the
// backslashes escaped once or twice inside Nix strings or left bare in
// PowerShell text), the same folder seen from WSL as /mnt/c/Users/<name>, and
// a Linux home seen from Windows as \\wsl$\<distro>\home\<name>.
import { suggestOption } from '../options.js';
import type { Evidence } from '../model.js';
import { isPlaceholder } from '../placeholders.js';
import { literalText, matches, offsetIn, type Rule } from './rule.js';

// One separator: `\`, `\\` (escaped in a "..." string), `\\\\` (escaped twice), or `/`.
const SEP = String.raw`(?:\\{1,4}|\/)`;
const NAME = '([A-Za-z0-9._-]+)';
const WINDOWS_HOME = new RegExp(
  String.raw`(?<![A-Za-z0-9])[A-Za-z]:${SEP}users${SEP}${NAME}|(?<![\w.~-])\/mnt\/[a-z]\/users\/${NAME}`,
  'gi',
);
// \\wsl$\Ubuntu\home\<name>, \\wsl.localhost\NixOS\home\<name>.
const WSL_SHARE = new RegExp(
  String.raw`(?:\\{2,8}|\/\/)wsl(?:\$|\.localhost)${SEP}[^\\/"'\s]+${SEP}home${SEP}${NAME}`,
  'gi',
);
// Profiles every Windows has; they belong to nobody.
const SHARED_PROFILES = new Set([
  'public',
  'default',
  'default user',
  'all users',
  'defaultapppool',
]);

export const windowsPaths: Rule = {
  id: 'windows-paths',
  summary:
    'Windows homes: C:\\Users\\<name> (any slash, case or escaping), /mnt/c/Users/<name>, \\\\wsl$\\<distro>\\home\\<name>',
  check(ctx) {
    const out: Evidence[] = [];
    // Every match has one of these words: a plain test spares the patterns most files.
    if (!/users|wsl/i.test(literalText(ctx))) return out;
    const searches: [RegExp, 'windows-user' | 'user'][] = [
      [WINDOWS_HOME, 'windows-user'],
      [WSL_SHARE, 'user'],
    ];
    for (const [re, kind] of searches) {
      for (const [piece, m] of matches(ctx, re, ['string', 'path'])) {
        const name = (m[1] ?? m[2])!;
        if (SHARED_PROFILES.has(name.toLowerCase()) || isPlaceholder(name)) continue;
        const start = offsetIn(piece, m.index);
        const end = m.index + m[0].length;
        const option = suggestOption(kind, ctx.bindingAt(start));
        out.push(
          ctx.evidence(this.id, 'personal', start, offsetIn(piece, end), m[0], {
            option,
            value: name,
            start: offsetIn(piece, end - name.length),
          }),
        );
      }
    }
    return out;
  },
};
