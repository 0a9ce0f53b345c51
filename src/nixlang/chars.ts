// Character classes of Nix's lexer (src/libexpr/lexer.l), as lookup tables
// over byte values so the scanner never builds a string to classify a char.
function table(ranges: string): Uint8Array {
  const t = new Uint8Array(256);
  for (let i = 0; i < ranges.length; i++) t[ranges.charCodeAt(i)] = 1;
  return t;
}

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = LOWER.toUpperCase();
const DIGIT = '0123456789';

/** [a-zA-Z_] */
export const ID_START = table(LOWER + UPPER + '_');
/** [a-zA-Z0-9_'-] */
export const ID_CHAR = table(LOWER + UPPER + DIGIT + "_'-");
/** PATH_CHAR: [a-zA-Z0-9._+-] */
export const PATH_CHAR = table(LOWER + UPPER + DIGIT + '._-+');
/** URI scheme after its first letter: [a-zA-Z0-9+.-] */
export const SCHEME_CHAR = table(LOWER + UPPER + DIGIT + '+-.');
/** URI body: [a-zA-Z0-9%/?:@&=+$,_.!~*'-] */
export const URI_CHAR = table(LOWER + UPPER + DIGIT + "%/?:@&=+$,-_.!~*'");
/** [a-zA-Z] */
export const LETTER = table(LOWER + UPPER);

export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
