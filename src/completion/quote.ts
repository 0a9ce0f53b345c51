// Quoting of generated words for the shells' scripts. The words come from
// our own tables (names, formats, template folder names), but a template
// folder is the user's: quote everything, never trust it to be plain.

/** A POSIX shell word (bash, zsh): single quotes, a quote written '\''. */
export function shellWord(text: string): string {
  return /^[A-Za-z0-9_.,:=+/@%-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}

/** A fish word: single quotes, in which fish treats \\ and \' as escapes. */
export function fishWord(text: string): string {
  return `'${text.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

/**
 * A PowerShell single-quoted string. PowerShell takes the typographic single
 * quotes (U+2018-U+201B) as quotes too; each quote character is doubled.
 */
export function psString(text: string): string {
  return `'${text.replace(/['\u2018-\u201b]/g, (q) => q + q)}'`;
}
