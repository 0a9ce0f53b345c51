// Renders an argument array as one line to copy into a shell: POSIX sh,
// PowerShell or cmd. Only for showing: what crossflake runs stays an argument
// array. A `%NAME%` in an argument is an environment variable the user's
// shell expands (a plan reviewed away from Windows has %LOCALAPPDATA% in its
// paths): PowerShell gets `$env:NAME`, cmd keeps `%NAME%`.

export type Shell = 'posix' | 'powershell' | 'cmd';
export const SHELLS: readonly Shell[] = ['posix', 'powershell', 'cmd'];

/** `%NAME%`: the variable references the renderers translate. */
const VAR = /%([A-Za-z_][A-Za-z0-9_]*)%/g;
const hasVar = (arg: string) => new RegExp(VAR.source).test(arg);

// --- POSIX ---------------------------------------------------------------

/** Characters never special to sh in a word; `#` only starts a comment at a word's start. */
const POSIX_SAFE = /^[A-Za-z0-9@%+=:,./_-][A-Za-z0-9@%+=:,./#_-]*$/;

/**
 * One word for sh: bare when nothing in it is special, else single-quoted (in
 * which nothing is special, so `$(...)`, backquotes and `;` stay inert).
 */
export function quotePosix(arg: string): string {
  if (POSIX_SAFE.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

// --- The Windows command line (what a program's C runtime splits) ---------

/**
 * Quotes one argument so that CommandLineToArgvW (and the MSVC runtime) give
 * it back unchanged: backslashes are literal except before a quote, where
 * they must be doubled, and a quote is written as \".
 */
export function quoteWindowsArg(arg: string, force = false): string {
  if (!force && arg !== '' && !/[\s"]/.test(arg)) return arg;
  let out = '"';
  let slashes = 0;
  for (const ch of arg) {
    if (ch === '\\') {
      slashes++;
      continue;
    }
    if (ch === '"') {
      out += '\\'.repeat(slashes * 2 + 1) + '"';
    } else {
      out += '\\'.repeat(slashes) + ch;
    }
    slashes = 0;
  }
  return `${out}${'\\'.repeat(slashes * 2)}"`;
}

// --- cmd -----------------------------------------------------------------

/** Outside quotes, cmd reads these itself; ^ makes each one literal. */
const CMD_SPECIAL = new Set(['&', '|', '<', '>', '^', '(', ')']);

/**
 * cmd sees the command line before the program does: it toggles "quoted" at
 * every `"` (it knows nothing of \"), and outside quotes it treats & | < > ^
 * ( ) as its own syntax. So the program's quoting comes first, for the whole
 * line (an argument with an odd number of quotes flips cmd's state for the
 * rest of it), then every special character cmd would see outside quotes
 * gets a ^. A %NAME% may expand to a path with spaces, so it is always quoted.
 */
export function renderCmd(args: readonly string[]): string {
  const line = args.map((a) => quoteWindowsArg(a, hasVar(a))).join(' ');
  let out = '';
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && CMD_SPECIAL.has(ch)) out += '^';
    out += ch;
  }
  return out;
}

// --- PowerShell -----------------------------------------------------------

/** Bare words PowerShell passes through as they are in command mode. */
const PS_SAFE = /^[A-Za-z0-9_.:\\/=+-]+$/;

/** One argument as a PowerShell token (before native-command passing). */
function quotePowerShellToken(arg: string): string {
  const withVar = hasVar(arg);
  // `--%` alone is PowerShell's stop-parsing token, never a plain word.
  if (!withVar && PS_SAFE.test(arg) && arg !== '--%') return arg;
  if (!withVar) return `'${arg.replace(/'/g, "''")}'`;
  // Double quotes expand $env:NAME; every other $, ` and " is escaped with a backtick.
  const parts = arg.split(new RegExp(VAR.source));
  const body = parts
    .map((part, i) => (i % 2 === 1 ? `$env:${part}` : part.replace(/[`$"]/g, (c) => `\`${c}`)))
    .join('');
  return `"${body}"`;
}

/**
 * PowerShell hands a native program a command line it builds itself, and
 * Windows PowerShell 5.1 gets some arguments wrong (see legacyBreaks; 7.3+
 * does not). So such a command is written after `--%` (stop
 * parsing: the rest of the line goes to the program as typed, %NAME% expanded),
 * quoted for the program's own splitting, which both versions pass unchanged.
 */
/**
 * What Windows PowerShell 5.1 passes wrongly: a `"` (not escaped), an empty
 * argument (dropped), whitespace with a trailing backslash (the closing quote
 * it adds is escaped by that backslash).
 */
function legacyBreaks(arg: string): boolean {
  return arg.includes('"') || arg === '' || (/\s/.test(arg) && arg.endsWith('\\'));
}

export function renderPowerShell(args: readonly string[]): string {
  const [program, ...rest] = args;
  const head = program === undefined ? '' : quotePowerShellToken(program);
  // A quoted program name needs the call operator to run.
  const call = head.startsWith("'") || head.startsWith('"') ? `& ${head}` : head;
  if (rest.some(legacyBreaks)) {
    return [call, '--%', ...rest.map((a) => quoteWindowsArg(a, hasVar(a)))].join(' ');
  }
  return [call, ...rest.map(quotePowerShellToken)].join(' ');
}

export function renderCommand(args: readonly string[], shell: Shell): string {
  if (shell === 'powershell') return renderPowerShell(args);
  if (shell === 'cmd') return renderCmd(args);
  return args.map(quotePosix).join(' ');
}
