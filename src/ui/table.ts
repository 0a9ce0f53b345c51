// Plain-text tables: columns padded to the widest cell, fitted to the
// terminal. Widths are display columns (string-width: escapes count 0, wide
// East Asian characters and emoji 2), so a coloured or CJK cell lines up.
import stringWidth from 'string-width';
import wrapAnsi from 'wrap-ansi';
import cliTruncate from 'cli-truncate';
import type { TableOptions } from './table-width.js';

export { tableWidth, type TableOptions } from './table-width.js';

const GAP = 2;
/** Below this a column says too little to be worth shrinking further. */
const MIN_COLUMN = 6;

export function visibleLength(text: string): number {
  return stringWidth(text);
}

/**
 * Column widths that fit `limit`: the widest column gives up one column at a
 * time until the table fits or every column is at MIN_COLUMN (then it stays
 * too wide rather than becoming unreadable).
 */
export function fitWidths(natural: readonly number[], limit: number | undefined): number[] {
  const widths = [...natural];
  if (limit === undefined) return widths;
  const total = () => widths.reduce((a, b) => a + b, 0) + GAP * (widths.length - 1);
  while (total() > limit) {
    const widest = widths.reduce((best, w, i) => (w >= widths[best]! ? i : best), 0);
    if (widths[widest]! <= MIN_COLUMN) break;
    widths[widest]!--;
  }
  return widths;
}

// The last column is free text (a finding, a reason): it wraps, so nothing is
// lost. Other columns are names and statuses: cut with an ellipsis, one line.
function cellLines(text: string, width: number, last: boolean): string[] {
  if (stringWidth(text) <= width) return [text];
  if (last) return wrapAnsi(text, width, { hard: true, trim: true }).split('\n');
  return [cliTruncate(text, width, { position: 'end' })];
}

export function renderTable(
  header: string[],
  rows: string[][],
  options: TableOptions = {},
): string {
  const natural = header.map((h, i) =>
    Math.max(stringWidth(h), ...rows.map((r) => stringWidth(r[i] ?? ''))),
  );
  const widths = fitWidths(natural, options.width);
  const pad = (text: string, i: number) =>
    i === widths.length - 1 ? text : text + ' '.repeat(Math.max(0, widths[i]! - stringWidth(text)));
  const render = (cells: string[]): string[] => {
    const columns = widths.map((w, i) => cellLines(cells[i] ?? '', w, i === widths.length - 1));
    const height = Math.max(...columns.map((c) => c.length));
    return Array.from({ length: height }, (_, k) =>
      columns
        .map((c, i) => pad(c[k] ?? '', i))
        .join(' '.repeat(GAP))
        .trimEnd(),
    );
  };
  const lines = [
    ...render(header),
    widths.map((w) => '-'.repeat(w)).join(' '.repeat(GAP)),
    ...rows.flatMap(render),
  ];
  return lines.join('\n') + '\n';
}
