// A minimal question on a terminal, over node:readline (no dependency, so it
// works the same in PowerShell, cmd and a Unix terminal).
import { createInterface } from 'node:readline/promises';
import type { Io } from '../command.js';

export async function ask(io: Io, question: string): Promise<string> {
  const rl = createInterface({
    input: io.stdin,
    output: io.stdout as NodeJS.WritableStream,
    terminal: true,
  });
  try {
    return (await rl.question(question)).trim();
  } finally {
    rl.close();
  }
}

/** Shows a numbered list and returns the picked keys (comma/space separated numbers). */
export async function pickMany(
  io: Io,
  title: string,
  choices: [key: string, label: string][],
): Promise<string[]> {
  io.stdout.write(`${title}\n`);
  choices.forEach(([key, label], i) => io.stdout.write(`  ${i + 1}. ${key}: ${label}\n`));
  const answer = await ask(io, 'Numbers (e.g. 1,5), empty for none: ');
  return answer
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((n) => choices[Number.parseInt(n, 10) - 1]?.[0])
    .filter((k): k is string => k !== undefined);
}

/** Quotes an argument array for display as one copy-pasteable command line. */
export function showCommand(args: readonly string[]): string {
  return args
    .map((a) => (/^[\w@%+=:,./#-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`))
    .join(' ');
}
