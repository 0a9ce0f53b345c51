// Text from outside (file names from a manifest, server messages, Nix's log)
// is shown on a terminal only after its control characters are made visible:
// an escape sequence in a name must not move the cursor, recolour or forge a
// line. Pure.

// C0 and C1 controls, DEL, and the Unicode bidirectional and line-separator
// controls that reorder or break what the reader sees.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f]/g;

function visible(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  if (char === '\n') return '\\n';
  if (char === '\r') return '\\r';
  if (char === '\t') return '\\t';
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** One line of text safe to print: every control character shown as an escape. */
export function printable(text: string): string {
  return text.replace(UNSAFE, visible);
}

/** Like printable, but keeps line breaks (for multi-line messages such as Nix errors). */
export function printableLines(text: string): string {
  return text
    .split('\n')
    .map((line) => printable(line.replace(/\r$/, '')))
    .join('\n');
}

/** Whether text holds any character that printable would change. */
export function hasControlCharacters(text: string): boolean {
  UNSAFE.lastIndex = 0;
  const found = UNSAFE.test(text);
  UNSAFE.lastIndex = 0;
  return found;
}
