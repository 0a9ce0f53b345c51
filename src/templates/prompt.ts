// Asks for parameters on a terminal: one question per parameter, the default
// in brackets (Enter keeps it), the rule repeated when an answer breaks it.
// node:readline is enough for this; no prompt library to bundle. It is
// loaded when a prompt is made, not with init: a run with every value given
// never needs it.
import type { Interface } from 'node:readline';
import { checkValue } from './validate.js';
import type { ParamSpec, ParamValue, ParamValues, TemplateSpec } from './types.js';

export interface PromptIo {
  stdin: NodeJS.ReadableStream;
  stdout: { write(chunk: string): unknown };
}

const MAX_TRIES = 5;

// No fallback (a parameter without a default): no brackets, and Enter alone
// is not an answer.
function question(param: ParamSpec, fallback: ParamValue | undefined): string {
  const choices = param.type === 'enum' ? ` (${(param.choices ?? []).join(', ')})` : '';
  if (fallback === undefined) return `${param.description}${choices}: `;
  const shown = param.type === 'boolean' ? (fallback ? 'Y/n' : 'y/N') : String(fallback);
  return `${param.description}${choices} [${shown}]: `;
}

/**
 * Lines from a stream, one at a time on demand. Lines that arrive before they
 * are asked for (typed ahead, or piped) are queued, not lost.
 */
class LineReader {
  private lines: string[] = [];
  private waiting: ((line: string | null) => void) | null = null;
  private closed = false;
  private readonly rl: Interface;

  constructor(input: NodeJS.ReadableStream, readline: typeof import('node:readline')) {
    this.rl = readline.createInterface({ input, terminal: false });
    this.rl.on('line', (line) => this.push(line));
    this.rl.on('close', () => {
      this.closed = true;
      this.push(null);
    });
  }

  private push(line: string | null): void {
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = null;
      resolve(line);
    } else if (line !== null) this.lines.push(line);
  }

  next(): Promise<string | null> {
    const line = this.lines.shift();
    if (line !== undefined) return Promise.resolve(line);
    if (this.closed) return Promise.resolve(null);
    return new Promise((resolve) => (this.waiting = resolve));
  }

  close(): void {
    this.rl.close();
  }
}

/** Asks for every parameter not already given; returns given + answers. */
export async function askMissing(
  spec: TemplateSpec,
  defaults: ParamValues,
  given: ParamValues,
  io: PromptIo,
): Promise<ParamValues> {
  const reader = new LineReader(io.stdin, await import('node:readline'));
  const values: ParamValues = { ...given };
  try {
    for (const param of spec.parameters) {
      if (param.name in given) continue;
      const fallback = defaults[param.name] ?? param.default;
      values[param.name] = await askOne(reader, param, fallback, io);
    }
  } finally {
    reader.close();
  }
  return values;
}

async function askOne(
  reader: LineReader,
  param: ParamSpec,
  fallback: ParamValue | undefined,
  io: PromptIo,
): Promise<ParamValue> {
  for (let tries = 0; tries < MAX_TRIES; tries++) {
    io.stdout.write(question(param, fallback));
    const line = await reader.next();
    if (line === null) throw new PromptClosed(`input ended before '${param.name}' was answered`);
    const answer = line.trim();
    const value = answer === '' ? fallback : answer;
    if (value === undefined) {
      io.stdout.write(`  '${param.name}' has no default: type a value (${param.rule})\n`);
      continue;
    }
    const checked = checkValue(param, value);
    if (checked.ok) return checked.value;
    io.stdout.write(`  ${checked.message}\n`);
  }
  throw new PromptClosed(`no valid value for '${param.name}' after ${MAX_TRIES} tries`);
}

export class PromptClosed extends Error {
  override name = 'PromptClosed';
}
