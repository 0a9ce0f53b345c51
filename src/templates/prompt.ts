// Asks for parameters on a terminal: one question per parameter, the default
// in brackets (Enter keeps it), the rule repeated when an answer breaks it.
// node:readline is enough for this; no prompt library to bundle.
import { createInterface } from 'node:readline/promises';
import type { Writable } from 'node:stream';
import { checkValue } from './validate.js';
import type { ParamSpec, ParamValue, ParamValues, TemplateSpec } from './types.js';

export interface PromptIo {
  stdin: NodeJS.ReadableStream;
  stdout: { write(chunk: string): unknown };
}

const MAX_TRIES = 5;

function question(param: ParamSpec, fallback: ParamValue): string {
  const shown =
    param.type === 'boolean' ? (fallback ? 'Y/n' : 'y/N') : String(fallback);
  const choices = param.type === 'enum' ? ` (${(param.choices ?? []).join(', ')})` : '';
  return `${param.description}${choices} [${shown}]: `;
}

/** Asks for every parameter not already given; returns given + answers. */
export async function askMissing(
  spec: TemplateSpec,
  defaults: ParamValues,
  given: ParamValues,
  io: PromptIo,
): Promise<ParamValues> {
  const rl = createInterface({
    input: io.stdin,
    // readline writes its echo and prompt here; our Io stdout is a Writable on a terminal.
    output: io.stdout as unknown as Writable,
    terminal: false,
  });
  const values: ParamValues = { ...given };
  try {
    for (const param of spec.parameters) {
      if (param.name in given) continue;
      const fallback = defaults[param.name] ?? param.default;
      values[param.name] = await askOne(rl, param, fallback, io);
    }
  } finally {
    rl.close();
  }
  return values;
}

async function askOne(
  rl: ReturnType<typeof createInterface>,
  param: ParamSpec,
  fallback: ParamValue,
  io: PromptIo,
): Promise<ParamValue> {
  for (let tries = 0; tries < MAX_TRIES; tries++) {
    const answer = (await rl.question(question(param, fallback))).trim();
    const checked = checkValue(param, answer === '' ? fallback : answer);
    if (checked.ok) return checked.value;
    io.stdout.write(`  ${checked.message}\n`);
  }
  throw new Error(`no valid value for '${param.name}' after ${MAX_TRIES} tries`);
}
