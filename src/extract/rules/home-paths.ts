// Home directories written out: /home/<u>, /Users/<u>, and the Windows side
// seen from WSL, /mnt/c/Users/<u> (FIELD-NOTES: a "shareable" module carried
// one person's Windows path).
import { suggestOption } from '../options.js';
import type { Evidence } from '../model.js';
import { matches, offsetIn, type Rule } from './rule.js';

const HOME = /(?<![\w.~-])(?:\/mnt\/[a-zA-Z]\/Users\/|\/home\/|\/Users\/)([A-Za-z0-9._-]+)/g;

export const homePaths: Rule = {
  id: 'home-paths',
  summary: 'absolute home paths: /home/<user>, /Users/<user>, /mnt/c/Users/<user>',
  check(ctx) {
    const out: Evidence[] = [];
    for (const [piece, m] of matches(ctx, HOME, ['string', 'path'])) {
      const windows = m[0].startsWith('/mnt/');
      const start = offsetIn(piece, m.index);
      const userStart = offsetIn(piece, m.index + m[0].length - m[1]!.length);
      const end = offsetIn(piece, m.index + m[0].length);
      const option = suggestOption(windows ? 'windows-user' : 'user', ctx.bindingAt(start));
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
