// Templates name nobody: a file of the repository's own templates/ tree, and
// placeholder values (`myuser`, `my-mac`, `your-email@example.com`, `Your
// Name`) wherever they stand. The other rules skip placeholders; this one
// says what was recognised, so a reader sees why a file full of user names
// and host names is not personal.
import type { Evidence } from '../model.js';
import { inTemplates, isPlaceholder } from '../placeholders.js';
import { shortStrings, shortStringText, type Rule } from './rule.js';

// Text that every placeholder isPlaceholder knows contains: a cheap first test.
const MAYBE =
  /\b(?:my|your)[-_. ]?(?:user|name|login|host|machine|computer|mac|laptop|desktop|pc|server|box|vm|wsl|e?mail|domain|org|company|key)|full name|\b(?:john|jane) doe|first ?last|<[^<>\s][^<>]*>|\{\{|@[A-Z_]+@|__[A-Z_]+__|change[-_]?me|replace[-_]?me|\b(?:todo|fixme|xxx+|username|hostname)\b|@(?:[\w-]+\.)*(?:example|invalid|test)\b/i;

export const templates: Rule = {
  id: 'templates',
  summary: 'template files (under templates/) and placeholder values (myuser, my-mac, Your Name)',
  check(ctx) {
    const out: Evidence[] = [];
    if (inTemplates(ctx.file.path))
      out.push(
        ctx.evidence(
          this.id,
          'template',
          0,
          0,
          'under templates/: a template, not a configuration',
        ),
      );
    // Most files hold no placeholder: one look at the text of their short strings decides that.
    if (!MAYBE.test(shortStringText(ctx))) return out;
    // The literal pieces of strings, not their values: working out every
    // string's value costs more than the whole rule.
    const seen = new Set<string>();
    for (const piece of shortStrings(ctx)) {
      if (!MAYBE.test(piece.text)) continue;
      const words = piece.text.split(/[\s/#@:"]+/).filter((w) => w.length > 0);
      const hit = isPlaceholder(piece.text) ? piece.text : words.find((w) => isPlaceholder(w));
      if (hit === undefined || seen.has(piece.text)) continue;
      seen.add(piece.text);
      out.push(ctx.evidence(this.id, 'template', piece.start, piece.end, `placeholder ${hit}`));
    }
    return out;
  },
};
