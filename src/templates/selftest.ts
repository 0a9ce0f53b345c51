// `crossflake init --test`: instantiate every template with each of its
// sample parameter sets into a temporary directory (through the same write
// path as init), parse every .nix file with the real nix-instantiate, and run
// the rendered-output checks. This is what CI runs.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../io/proc.js';
import { checkRendered, type Finding } from './check.js';
import { render } from './render.js';
import { checkAll } from './validate.js';
import { writeTree } from './write.js';
import type { ParamValues, Template } from './types.js';

/** Returns nix's complaint about a file, or null when it parses. */
export type Parser = (file: string) => Promise<string | null>;

export class ParserMissing extends Error {
  override name = 'ParserMissing';
}

export function nixInstantiateParser(env: NodeJS.ProcessEnv = process.env): Parser {
  return async (file) => {
    const result = await run('nix-instantiate', ['--parse', file], { env, timeoutMs: 60_000 });
    if (result.failure === 'not-found') {
      throw new ParserMissing('nix-instantiate is not installed; --test needs Nix to parse the output');
    }
    if (result.code === 0) return null;
    return result.stderr.toString('utf8').trim() || `nix-instantiate exited ${result.code}`;
  };
}

export interface SampleResult {
  template: string;
  sample: number;
  values: ParamValues;
  files: number;
  findings: Finding[];
}

async function testSample(
  template: Template,
  index: number,
  sample: ParamValues,
  root: string,
  parse: Parser,
): Promise<SampleResult> {
  const { values, problems } = checkAll(template.spec, sample);
  const base = { template: template.spec.name, sample: index, values };
  if (problems.length > 0) {
    return { ...base, files: 0, findings: problems.map((message) => ({ file: null, line: null, message })) };
  }
  const files = render(template, values);
  const dir = join(root, `${template.spec.name}-${index}`);
  await writeTree(dir, files);
  const findings = checkRendered(template.spec, values, files);
  for (const file of files.keys()) {
    if (!file.endsWith('.nix')) continue;
    const complaint = await parse(join(dir, ...file.split('/')));
    if (complaint !== null) findings.push({ file, line: null, message: `does not parse: ${complaint}` });
  }
  return { ...base, files: files.size, findings };
}

/** Runs every sample of every template; the temporary directories are removed afterwards. */
export async function selfTest(
  templates: readonly Template[],
  parse: Parser,
  onResult: (result: SampleResult) => void = () => {},
): Promise<SampleResult[]> {
  const root = await mkdtemp(join(tmpdir(), 'crossflake-init-test-'));
  try {
    const results: SampleResult[] = [];
    for (const template of templates) {
      for (const [index, sample] of template.spec.samples.entries()) {
        const result = await testSample(template, index, sample, root, parse);
        onResult(result);
        results.push(result);
      }
    }
    return results;
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
