// How wide a table may be, apart from table.ts: commands ask this whatever
// they print, and table.ts's width libraries (string-width builds an
// Intl.Segmenter and Unicode-property patterns when loaded, ~30 ms) are
// worth loading only when a table is drawn.
export interface TableOptions {
  /** The terminal's width in columns; undefined (a pipe, a file) means no limit. */
  width?: number;
}

/**
 * How wide tables may be: the terminal's columns when stdout is one (COLUMNS
 * when the terminal does not say), else COLUMNS only if the user set it. A
 * pipe or a file gets whole lines: a script reading them wants every character.
 */
export function tableWidth(io: {
  stdout: { isTTY?: boolean; columns?: number };
  env: NodeJS.ProcessEnv;
}): number | undefined {
  const env = Number.parseInt(io.env.COLUMNS ?? '', 10);
  const fromEnv = Number.isInteger(env) && env > 0 ? env : undefined;
  if (io.stdout.isTTY === true) return io.stdout.columns || fromEnv || 80;
  return fromEnv;
}
