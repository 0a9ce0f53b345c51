// Reading and writing recorded HostFacts files (doctor --facts / --save-facts).
import { readFile } from 'node:fs/promises';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject } from 'ajv';
import schema from '../../../data/hostfacts.schema.json' with { type: 'json' };
import { UserError } from '../../command.js';
import type { HostFacts } from './facts.js';

/** Validates parsed JSON as HostFacts; the error names the first bad field. */
export function validateFacts(data: unknown, source: string): HostFacts {
  const ajv = new Ajv2020({ allErrors: false, strict: false });
  const validate = ajv.compile<HostFacts>(schema);
  if (validate(data)) return data;
  throw new UserError(`${source}: not a valid HostFacts file: ${describe(validate.errors?.[0])}`);
}

function describe(error: ErrorObject | undefined): string {
  if (!error) return 'unknown problem';
  const path = error.instancePath ? error.instancePath.slice(1).replace(/\//g, '.') : '(top level)';
  if (error.keyword === 'required') {
    const missing = (error.params as { missingProperty: string }).missingProperty;
    return `field '${path === '(top level)' ? missing : `${path}.${missing}`}' is missing`;
  }
  return `field '${path}' ${error.message ?? 'is invalid'}`;
}

export async function readFactsFile(path: string): Promise<HostFacts> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UserError(`cannot read facts file ${path}: ${(error as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UserError(`${path}: not JSON: ${(error as Error).message}`);
  }
  return validateFacts(data, path);
}
