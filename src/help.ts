// `crossflake <command> <sub> --help`: one subcommand's part of its
// command's help text: its usage, its description and only the options it
// takes, cut out of help() so the two never disagree.

/** An entry of a help list: its first line and the deeper-indented lines after it. */
function blocks(lines: readonly string[], starts: (line: string) => boolean): string[][] {
  const found: string[][] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!starts(lines[i]!)) continue;
    const indent = lines[i]!.search(/\S/);
    const block = [lines[i]!];
    for (let j = i + 1; j < lines.length; j++) {
      const line = lines[j]!;
      if (line.trim() === '' || line.search(/\S/) <= indent || /^\s*-/.test(line)) break;
      block.push(line);
    }
    found.push(block);
  }
  return found;
}

const OPTION = /^\s+(?:-\w, )?--([\w-]+)/;

function dedent(block: readonly string[]): string[] {
  const cut = block[0]!.search(/\S/);
  return block.map((line) => line.slice(Math.min(cut, line.search(/\S/))));
}

/** Where an option line's description starts (after two or more spaces). */
function column(line: string | undefined): number {
  const match = line === undefined ? null : /^(\s*\S.*?\s{2,})\S/.exec(line);
  return match ? match[1]!.length : 0;
}

export function subcommandHelp(
  help: string,
  command: string,
  sub: string,
  options: readonly string[],
): string {
  const lines = help.split('\n');
  const prefix = `crossflake ${command} ${sub}`;
  const usage =
    lines.map((l) => l.replace(/^\s*(Usage:)?\s*/, '')).find((l) => l.startsWith(`${prefix} `)) ??
    null;
  const described = blocks(lines, (l) => new RegExp(`^ {1,4}${sub}(\\s|$)`).test(l))[0];
  const head = described?.[0]?.trim().split(/\s{2,}/) ?? [];
  const shownUsage = usage ?? `${command} ${head[0] ?? sub} [options]`.replace(/^/, 'crossflake ');
  const description = described
    ? [head.slice(1).join(' '), ...described.slice(1).map((l) => l.trim())].filter(Boolean)
    : [];
  const wanted = new Set(options);
  const optionLines = blocks(lines, (l) => OPTION.test(l))
    .filter((b) => wanted.has(OPTION.exec(b[0]!)![1]!))
    .flatMap(dedent)
    .map((l) => `  ${l}`);
  return [
    `Usage: ${shownUsage}`,
    ...(description.length > 0 ? ['', ...description] : []),
    '',
    'Options:',
    ...optionLines,
    `  ${'-h, --help'.padEnd(Math.max(column(optionLines[0]) - 2, 12))}Show this help (all of ${command}: crossflake ${command} --help)`,
    '',
  ].join('\n');
}
