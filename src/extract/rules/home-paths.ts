// Home directories written out: /home/<u>, /Users/<u>. (The Windows side,
// /mnt/c/Users/<u> and C:\Users\<u>, is windows-paths.ts's.)
import { suggestOption } from '../options.js';
import type { Evidence } from '../model.js';
import { isPlaceholder } from '../placeholders.js';
import { matches, offsetIn, type Rule } from './rule.js';

// Not after /mnt/<drive>: that Users folder is Windows's.
const HOME = /(?<![\w.~-]|\/mnt\/[a-zA-Z])(?:\/home\/|\/Users\/)([A-Za-z0-9._-]+)/g;
// (`Users/`, not `/Users/`: a search for a text is as fast as its first
// character is rare in the file, and `/` is everywhere in Nix.)
const HOME_NEEDLES = ['/home/', 'Users/'];

export const homePaths: Rule = {
  id: 'home-paths',
  summary: 'absolute home paths: /home/<user>, /Users/<user>',
  check(ctx) {
    const out: Evidence[] = [];
    for (const [piece, m] of matches(ctx, HOME, ['string', 'path'], HOME_NEEDLES)) {
      if (isPlaceholder(m[1]!)) continue;
      const start = offsetIn(piece, m.index);
      const userStart = offsetIn(piece, m.index + m[0].length - m[1]!.length);
      const end = offsetIn(piece, m.index + m[0].length);
      const option = suggestOption('user', ctx.bindingAt(start));
      out.push(
        ctx.evidence(this.id, 'personal', start, end, m[0], {
          option,
          value: m[1]!,
          start: userStart,
        }),
      );
    }
    return out;
  },
};
