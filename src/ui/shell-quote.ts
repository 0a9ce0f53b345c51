// Commands printed for a user to copy into a POSIX shell (sh, bash, zsh).
// A word that is only safe characters is shown as is; anything else is put in
// single quotes, where the shell expands nothing ($(...), `...`, $VAR, globs),
// and a single quote inside becomes '\''.
const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

export function quotePosix(word: string): string {
  if (word !== '' && SAFE.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}
