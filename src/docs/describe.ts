// Descriptions of exports "from the Nix code": the header comment of the file
// a binding points at (e.g. `base = module ./nix/modules/nixos/base.nix;`),
// else the comment right above the binding. Pure functions over file texts;
// the caller reads the files.
import { posix } from 'node:path';

/** The text of the binding that starts on `line` (1-based), up to its `;`. */
export function bindingText(source: string, line: number): string {
  const lines = source.split('\n');
  const text = lines.slice(line - 1).join('\n');
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '{' || c === '[' || c === '(') depth++;
    else if (c === '}' || c === ']' || c === ')') depth--;
    else if (c === ';' && depth <= 0) return text.slice(0, i + 1);
    if (depth < 0) return text.slice(0, i);
  }
  return text;
}

/** Relative paths (`./x.nix`, `../y`) written in a piece of Nix. */
export function relativePaths(text: string): string[] {
  return [...text.matchAll(/(?<![\w/.])(\.{1,2}\/[\w./+-]+)/g)].map((m) =>
    m[1]!.replace(/[.;]+$/, ''),
  );
}

/** First sentence of the `#` comment block that opens a file (or a block). */
export function headerSentence(commentLines: string[]): string {
  const text = commentLines
    .map((l) => l.replace(/^\s*#\s?/, '').trim())
    .join(' ')
    .trim();
  const m = /^(.*?[.!?])(\s|$)/.exec(text);
  return (m ? m[1]! : text).trim();
}

/** A file's description: its header comment, else its first `description = "...";`. */
export function fileDescription(source: string): string {
  const header = fileHeader(source);
  if (header) return header;
  const m = /\bdescription\s*=\s*"((?:[^"\\]|\\.)*)"\s*;/.exec(source);
  return m ? m[1]!.replace(/\\(.)/g, '$1') : '';
}

export function fileHeader(source: string): string {
  const lines = source.split('\n');
  const block: string[] = [];
  for (const l of lines) {
    if (/^\s*#/.test(l)) block.push(l);
    else break;
  }
  return headerSentence(block);
}

/** The comment lines directly above `line` (1-based). */
export function commentAbove(source: string, line: number): string {
  const lines = source.split('\n');
  const block: string[] = [];
  for (let i = line - 2; i >= 0 && /^\s*#/.test(lines[i]!); i--) block.unshift(lines[i]!);
  return headerSentence(block);
}

/** Resolves a relative path written in `fromFile` to a repo path; a directory means its default.nix. */
export function resolveIn(fromFile: string, rel: string, isDir: (p: string) => boolean): string {
  const p = posix.normalize(posix.join(posix.dirname(fromFile), rel));
  return isDir(p) ? posix.join(p, 'default.nix') : p;
}
