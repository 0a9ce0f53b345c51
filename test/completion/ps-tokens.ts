// A tokenizer of PowerShell's quoting and grouping rules, for checking the
// generated completion script where PowerShell cannot run (no pwsh here).
// It follows about_Quoting_Rules and about_Comments: single-quoted strings
// (any of ' U+2018-U+201B quotes; a doubled quote is one quote), double-quoted
// strings with backtick escapes and $( ) subexpressions, # and <# #> comments,
// and the brackets () {} [] that must pair.

const SINGLE = /['\u2018-\u201b]/;
const PAIRS: Record<string, string> = { '(': ')', '{': '}', '[': ']' };

export interface PsScan {
  /** The values of the single-quoted strings, in order. */
  strings: string[];
  /** Empty when every bracket pairs and every string and comment ends. */
  problems: string[];
}

export function scanPowerShell(text: string): PsScan {
  const strings: string[] = [];
  const problems: string[] = [];
  const stack: string[] = [];
  let i = 0;
  const code = (closeAt: string | null): void => {
    while (i < text.length) {
      const ch = text[i]!;
      if (ch === '#') {
        i = text.indexOf('\n', i);
        if (i === -1) i = text.length;
      } else if (ch === '<' && text[i + 1] === '#') {
        const end = text.indexOf('#>', i + 2);
        if (end === -1) problems.push('a <# comment does not end');
        i = end === -1 ? text.length : end + 2;
      } else if (SINGLE.test(ch)) {
        i++;
        strings.push(single());
      } else if (ch === '"') {
        i++;
        double();
      } else if (ch in PAIRS) {
        stack.push(PAIRS[ch]!);
        i++;
      } else if (ch === ')' || ch === '}' || ch === ']') {
        if (closeAt !== null && ch === closeAt && stack.length === 0) {
          i++;
          return;
        }
        const want = stack.pop();
        if (want !== ch) problems.push(`'${ch}' at ${i} closes ${want ?? 'nothing'}`);
        i++;
      } else i++;
    }
    if (closeAt !== null) problems.push(`a $( subexpression does not end`);
  };
  const single = (): string => {
    let value = '';
    while (i < text.length) {
      const ch = text[i]!;
      if (SINGLE.test(ch)) {
        if (SINGLE.test(text[i + 1] ?? '')) {
          value += ch;
          i += 2;
          continue;
        }
        i++;
        return value;
      }
      value += ch;
      i++;
    }
    problems.push('a single-quoted string does not end');
    return value;
  };
  const double = (): void => {
    while (i < text.length) {
      const ch = text[i]!;
      if (ch === '`') i += 2;
      else if (ch === '"') {
        i++;
        return;
      } else if (ch === '$' && text[i + 1] === '(') {
        i += 2;
        const saved = stack.splice(0);
        code(')');
        stack.push(...saved);
      } else i++;
    }
    problems.push('a double-quoted string does not end');
  };
  code(null);
  if (stack.length > 0) problems.push(`unclosed brackets: ${stack.join('')}`);
  return { strings, problems };
}
