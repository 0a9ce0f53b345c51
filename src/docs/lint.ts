// Runs every docs lint rule over Markdown files.
import type { Finding, LintRule } from './lint-rule.js';
import { splitMarkdown } from './lint-rule.js';
import type { ExportsModel } from './model.js';
import { exportCounts } from './lint-rules/export-counts.js';
import { flakeRefs } from './lint-rules/flake-refs.js';
import { repoPaths } from './lint-rules/repo-paths.js';

export const lintRules: readonly LintRule[] = [flakeRefs, repoPaths, exportCounts];

export function lintMarkdown(
  file: string,
  text: string,
  exports: ExportsModel,
  repoPathSet: ReadonlySet<string>,
  rules: readonly LintRule[] = lintRules,
): Finding[] {
  const ctx = { file, lines: splitMarkdown(text), exports, repoPaths: repoPathSet };
  return rules.flatMap((r) => r.run(ctx)).sort((a, b) => a.line - b.line || a.column - b.column);
}

export function formatFinding(f: Finding): string {
  const hint = f.suggestion ? ` (did you mean '${f.suggestion}'?)` : '';
  return `${f.file}:${f.line}:${f.column}: ${f.rule}: ${f.message}${hint}`;
}
