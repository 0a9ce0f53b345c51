// Validates a --json output against data/schemas/<command>.schema.json (and
// the envelope every command schema refers to), for the envelope tests.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';

const dir = 'data/schemas';
const ajv = new Ajv2020({ strict: true, strictTypes: false, strictRequired: false });
for (const file of readdirSync(dir)) {
  ajv.addSchema(JSON.parse(readFileSync(join(dir, file), 'utf8')) as object);
}

export interface Checked {
  schema: string;
  ok: boolean;
  error?: { code: string; message: string };
  [key: string]: unknown;
}

/** Parses stdout as one JSON document and returns it, or throws naming what the schema refused. */
export function checkEnvelope(command: string, stdout: string): Checked {
  const value = JSON.parse(stdout) as Checked;
  const validate = ajv.getSchema(`${command}.schema.json`);
  if (!validate) throw new Error(`no schema data/schemas/${command}.schema.json`);
  if (!validate(value)) throw new Error(`${command}: ${ajv.errorsText(validate.errors)}`);
  return value;
}
