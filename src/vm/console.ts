// Talking to a guest shell over the serial console, as text. Each command is
// followed by an `echo` of its exit status behind a numbered sentinel; the
// shell echoes what it is sent, but there the sentinel still reads `$?`, so
// only the real answer matches `=<digits>`.
export const DEFAULT_MARKER = 'crossflake-vm: ready';

// eslint-disable-next-line no-control-regex -- terminal escapes are what it removes
const ANSI = /\u001b(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)|[@-Z\\-_])/g;

/** Console bytes as text to match on: escapes and carriage returns dropped. */
export function plainConsole(text: string): string {
  return text.replace(ANSI, '').replace(/\r/g, '');
}

/** A line typed into the guest; control characters would be keystrokes, not text. */
export function checkCommand(command: string): string | null {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(command))
    return 'a --run command cannot contain control characters or line breaks';
  if (command.trim() === '') return 'a --run command cannot be empty';
  return null;
}

/** Asks the shell to prove it reads input: answered by `crossflake-ready-42`. */
export const READY_PROBE = 'echo crossflake-ready-$((6*7))\n';
export const READY_ANSWER = /crossflake-ready-42/;

export function commandInput(step: number, command: string): string {
  return `${command}\necho "crossflake-exit-${step}=$?"\n`;
}

export function exitPattern(step: number): RegExp {
  return new RegExp(`crossflake-exit-${step}=(\\d+)`);
}

// A pattern that can match a line break, or reads what comes before its match
// (anchors, look-behind), needs the whole text; any other one matches within
// a line, so a scan only needs the line still being written. Conservative:
// an escaped `\$` in a literal also counts, and is merely scanned in full.
const SPANS_LINES = /\n|\\[nrsSWDpPux0cvf]|\[\^|\^|\$|\(\?<[=!]/;

export function lineBound(pattern: RegExp): boolean {
  return !/[smgy]/.test(pattern.flags) && !SPANS_LINES.test(pattern.source);
}

/**
 * Finds `pattern` in console text that arrives piece by piece, starting with
 * `text`. The match's index counts from the start of `text`. A console log
 * grows to hundreds of kilobytes in small pieces; rescanning all of it for
 * each piece would cost time the guest, emulated on the same CPUs, needs.
 */
export function consoleScanner(
  pattern: RegExp,
  text: string,
): (added: string) => RegExpExecArray | null {
  const cut = lineBound(pattern);
  let window = text;
  let offset = 0;
  const scan = (): RegExpExecArray | null => {
    const match = pattern.exec(window);
    if (match) {
      match.index += offset;
      return match;
    }
    if (cut) {
      const lineStart = window.lastIndexOf('\n') + 1;
      window = window.slice(lineStart);
      offset += lineStart;
    }
    return null;
  };
  return (added) => {
    window += added;
    return scan();
  };
}
