// The one place that decides whether output is coloured. Every command asks
// here (through colorsFor), so --color, NO_COLOR and FORCE_COLOR mean the same
// thing everywhere.

export interface Colors {
  green(text: string): string;
  yellow(text: string): string;
  red(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

export type ColorChoice = 'auto' | 'always' | 'never';

/** What the decision needs: the environment, and the global --color flag once it is parsed. */
export interface ColorIo {
  env: NodeJS.ProcessEnv;
  color?: string;
  stdout: { isTTY?: boolean };
  stderr: { isTTY?: boolean };
}

export function colors(enabled: boolean): Colors {
  const wrap = (open: number, close: number) => (text: string) =>
    enabled ? `\x1b[${open}m${text}\x1b[${close}m` : text;
  return {
    green: wrap(32, 39),
    yellow: wrap(33, 39),
    red: wrap(31, 39),
    dim: wrap(2, 22),
    bold: wrap(1, 22),
  };
}

/**
 * The user's choice: the --color flag first (a per-run choice beats a
 * standing one), then FORCE_COLOR, then NO_COLOR. FORCE_COLOR is read before
 * NO_COLOR as Node itself does, so both tools agree when both are set.
 */
export function colorMode(io: Pick<ColorIo, 'env' | 'color'>): ColorChoice {
  if (io.color === 'always' || io.color === 'never') return io.color;
  const force = forceColor(io.env.FORCE_COLOR);
  if (force !== undefined) return force;
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return 'never';
  return 'auto';
}

// FORCE_COLOR's convention (Node, chalk): 0 or false turns colour off, 1-3 (a
// colour depth), true or empty turn it on; anything else is not a choice.
function forceColor(value: string | undefined): ColorChoice | undefined {
  if (value === undefined) return undefined;
  if (value === '0' || value === 'false') return 'never';
  if (['', '1', '2', '3', 'true'].includes(value)) return 'always';
  return undefined;
}

/** Whether to colour what goes to one stream: auto means a terminal that is not dumb. */
export function useColor(io: ColorIo, stream: 'stdout' | 'stderr' = 'stdout'): boolean {
  const mode = colorMode(io);
  if (mode !== 'auto') return mode === 'always';
  return io[stream].isTTY === true && io.env.TERM !== 'dumb';
}

export function colorsFor(io: ColorIo, stream: 'stdout' | 'stderr' = 'stdout'): Colors {
  return colors(useColor(io, stream));
}
