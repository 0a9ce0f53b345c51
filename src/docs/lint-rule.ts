// The interface every docs lint rule implements (one rule per file under
// lint-rules/). Rules are pure: a Markdown file and the code's facts in,
// findings out.
import type { ExportsModel } from './model.js';

export interface MarkdownLine {
  /** 1-based line number in the file. */
  number: number;
  text: string;
  /** Inside a fenced code block (```), where prose rules do not apply. */
  fenced: boolean;
  /** The fence's info string ("sh", "json", ...); '' outside fences. */
  lang: string;
}

export interface LintContext {
  file: string;
  lines: MarkdownLine[];
  exports: ExportsModel;
  /** Repository files and directories (relative, "/" separated, dirs without a trailing slash). */
  repoPaths: ReadonlySet<string>;
}

export interface Finding {
  file: string;
  line: number;
  column: number;
  rule: string;
  /** The stale text as written. */
  text: string;
  message: string;
  suggestion: string | null;
}

export interface LintRule {
  id: string;
  run(ctx: LintContext): Finding[];
}

export function splitMarkdown(text: string): MarkdownLine[] {
  let fenced = false;
  let lang = '';
  return text.split('\n').map((line, i) => {
    const fence = /^\s*(?:```|~~~)\s*([\w-]*)/.exec(line);
    if (fence) {
      fenced = !fenced;
      lang = fenced ? fence[1]!.toLowerCase() : '';
      return { number: i + 1, text: line, fenced: true, lang: fenced ? lang : '' };
    }
    return { number: i + 1, text: line, fenced, lang };
  });
}
