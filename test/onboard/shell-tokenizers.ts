// Test-only models of how a pasted line becomes a program's arguments on
// Windows, written from the shells' documented rules (not from the renderer):
//  - cmd.exe: %NAME% expands everywhere; `"` toggles quoting; outside quotes
//    ^ escapes the next character and & | < > ( ) are cmd's own syntax.
//  - PowerShell (command mode): 'literal' ('' is a quote), "expandable"
//    (`x escapes, $env:NAME expands), bare words (with $env:NAME); `--%` stops
//    parsing (the rest goes to the program as typed, %NAME% expanded); then the
//    native-command passing builds a command line, in 'legacy' (Windows
//    PowerShell 5.1: quotes an argument with whitespace, escapes nothing) or
//    'standard' (PowerShell 7.3+: escapes for the C runtime) mode.
//  - the program: the C runtime's / CommandLineToArgvW splitting (2008+ rules).

export type Env = Record<string, string>;

function expandPercent(text: string, env: Env): string {
  return text.replace(/%([A-Za-z_][A-Za-z0-9_]*)%/g, (m, name: string) => env[name] ?? m);
}

/** CommandLineToArgvW for the arguments after the program name. */
export function splitWindows(line: string): string[] {
  const args: string[] = [];
  let cur = '';
  let started = false;
  let quoted = false;
  for (let i = 0; i < line.length;) {
    const c = line[i]!;
    if (c === '\\') {
      let k = 0;
      while (line[i + k] === '\\') k++;
      if (line[i + k] === '"') {
        cur += '\\'.repeat(Math.floor(k / 2));
        if (k % 2 === 1) {
          cur += '"';
          i += k + 1;
        } else i += k;
      } else {
        cur += '\\'.repeat(k);
        i += k;
      }
      started = true;
    } else if (c === '"') {
      if (quoted && line[i + 1] === '"') {
        cur += '"';
        i += 2;
      } else {
        quoted = !quoted;
        i++;
      }
      started = true;
    } else if (!quoted && (c === ' ' || c === '\t')) {
      if (started) args.push(cur);
      cur = '';
      started = false;
      i++;
    } else {
      cur += c;
      started = true;
      i++;
    }
  }
  if (started) args.push(cur);
  return args;
}

/** What cmd.exe hands the program, or an error where cmd would act on the line itself. */
export function cmdLine(line: string, env: Env): string {
  const expanded = expandPercent(line, env);
  let out = '';
  let quoted = false;
  for (let i = 0; i < expanded.length; i++) {
    const c = expanded[i]!;
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === '^') {
      i++;
      out += expanded[i] ?? '';
      continue;
    } else if (!quoted && '&|<>()'.includes(c)) {
      throw new Error(`cmd would read '${c}' at ${i} as its own syntax: ${line}`);
    }
    out += c;
  }
  return out;
}

export function cmdArgs(line: string, env: Env): string[] {
  return splitWindows(cmdLine(line, env));
}

const ENV_REF = /^\$env:([A-Za-z_][A-Za-z0-9_]*)/;

interface PsTokens {
  args: string[];
  /** The text after --%, passed to the program unchanged (after %NAME%). */
  raw: string | null;
}

function psExpandable(line: string, start: number, env: Env): [string, number] {
  let out = '';
  for (let i = start; i < line.length; i++) {
    const c = line[i]!;
    if (c === '`') {
      out += line[++i] ?? '';
    } else if (c === '"') {
      if (line[i + 1] === '"') {
        out += '"';
        i++;
      } else return [out, i + 1];
    } else if (c === '$') {
      const m = ENV_REF.exec(line.slice(i));
      if (!m) throw new Error(`PowerShell would expand '$' at ${i}: ${line}`);
      out += env[m[1]!] ?? '';
      i += m[0].length - 1;
    } else out += c;
  }
  throw new Error(`unterminated "..." in ${line}`);
}

/** PowerShell's command-mode parsing of one native command line. */
export function psTokens(line: string, env: Env): PsTokens {
  const args: string[] = [];
  let i = 0;
  const n = line.length;
  while (i < n) {
    while (line[i] === ' ') i++;
    if (i >= n) break;
    if (line.startsWith('--%', i) && (i + 3 === n || line[i + 3] === ' ')) {
      return { args, raw: expandPercent(line.slice(i + 4), env) };
    }
    if (args.length === 0 && line[i] === '&' && line[i + 1] === ' ') {
      i += 2; // the call operator before a quoted program name
      continue;
    }
    let word = '';
    while (i < n && line[i] !== ' ') {
      const c = line[i]!;
      if (c === "'") {
        let j = i + 1;
        for (;;) {
          if (j >= n) throw new Error(`unterminated '...' in ${line}`);
          if (line[j] === "'" && line[j + 1] === "'") {
            word += "'";
            j += 2;
          } else if (line[j] === "'") break;
          else word += line[j++];
        }
        i = j + 1;
      } else if (c === '"') {
        const [text, next] = psExpandable(line, i + 1, env);
        word += text;
        i = next;
      } else if (c === '$') {
        const m = ENV_REF.exec(line.slice(i));
        if (!m) throw new Error(`PowerShell would expand '$' at ${i}: ${line}`);
        word += env[m[1]!] ?? '';
        i += m[0].length;
      } else if (';|&(){}<>,`@#'.includes(c) && (word === '' || '|;&<>'.includes(c))) {
        throw new Error(`PowerShell would read '${c}' at ${i} as syntax: ${line}`);
      } else {
        word += c;
        i++;
      }
    }
    args.push(word);
  }
  return { args, raw: null };
}

/** The command line PowerShell builds for a native program from its arguments. */
function nativeLine(args: readonly string[], mode: 'legacy' | 'standard'): string {
  return args
    .map((a) => {
      if (mode === 'legacy') return /\s/.test(a) ? `"${a}"` : a;
      if (a !== '' && !/[\s"]/.test(a)) return a;
      return `"${a.replace(/(\\*)"/g, '$1$1\\"').replace(/(\\+)$/, '$1$1')}"`;
    })
    .join(' ');
}

export function psArgs(line: string, env: Env, mode: 'legacy' | 'standard'): string[] {
  const { args, raw } = psTokens(line, env);
  const [program, ...rest] = args;
  // Windows PowerShell 5.1 drops an empty argument entirely.
  const passed = mode === 'legacy' ? rest.filter((a) => a !== '') : rest;
  const commandLine = [nativeLine(passed, mode), raw ?? ''].filter(Boolean).join(' ');
  return [program!, ...splitWindows(commandLine)];
}
