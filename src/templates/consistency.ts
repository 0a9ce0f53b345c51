// Checks a template.json against its own files, beyond what the JSON Schema
// can say: placeholders that exist and do not overlap, defaults that pass
// their own rules, samples that are valid, free text only inside Nix strings.
// A template that fails here is never rendered, so a broken template is a
// maintainer's error at load time, not a user's surprise.
import platforms from '../../data/platforms.json' with { type: 'json' };
import { isUnder } from './render.js';
import { checkAll, checkValue } from './validate.js';
import type { ParamSpec, TemplateSpec } from './types.js';

const rowIds = new Set(platforms.rows.map((r) => r.id));

function placeholderProblems(spec: TemplateSpec, files: Map<string, string>): string[] {
  const problems: string[] = [];
  const withPlaceholder = spec.parameters.filter((p) => p.placeholder !== undefined);
  for (const a of withPlaceholder) {
    for (const b of withPlaceholder) {
      if (a !== b && (b.placeholder as string).includes(a.placeholder as string)) {
        problems.push(`placeholder of '${a.name}' occurs inside the placeholder of '${b.name}'`);
      }
    }
    const text = a.placeholder as string;
    const used =
      spec.nextCommands.some((c) => c.includes(text)) ||
      [...files].some(([path, body]) => path.includes(text) || body.includes(text));
    if (!used) problems.push(`placeholder ${JSON.stringify(text)} of '${a.name}' occurs in no file`);
    if (a.freeText) problems.push(...freeTextProblems(a, files, spec.nextCommands));
  }
  return problems;
}

// Free text is escaped for Nix double-quoted strings only, so each occurrence
// must be exactly a whole string literal in a .nix file.
function freeTextProblems(param: ParamSpec, files: Map<string, string>, commands: string[]) {
  const text = param.placeholder as string;
  const problems: string[] = [];
  if (commands.some((c) => c.includes(text))) {
    problems.push(`free-text '${param.name}' must not appear in nextCommands`);
  }
  for (const [path, body] of files) {
    if (path.includes(text)) problems.push(`free-text '${param.name}' must not name a path`);
    const count = body.split(text).length - 1;
    if (count === 0) continue;
    const quoted = body.split(`"${text}"`).length - 1;
    if (!path.endsWith('.nix') || quoted !== count) {
      problems.push(`${path}: free-text '${param.name}' may only appear as a whole "..." Nix string`);
    }
  }
  return problems;
}

function parameterProblems(spec: TemplateSpec, files: Map<string, string>): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const param of spec.parameters) {
    if (seen.has(param.name)) problems.push(`parameter '${param.name}' is declared twice`);
    seen.add(param.name);
    if (param.default === undefined) {
      // No harmless value: the files carry a marker only, never a default.
      if (param.type === 'boolean') problems.push(`boolean '${param.name}' needs a default`);
    } else {
      const checked = checkValue(param, param.default);
      if (!checked.ok) problems.push(`default of ${checked.message}`);
    }
    if (
      param.default !== undefined &&
      param.placeholder !== undefined &&
      param.default !== param.placeholder
    ) {
      // The files as they are must carry the default, so `nix flake init` works.
      problems.push(`parameter '${param.name}': default must equal its placeholder`);
    }
    for (const prune of param.prunes ?? []) {
      if (![...files.keys()].some((path) => isUnder(path, [prune]))) {
        problems.push(`parameter '${param.name}' prunes ${prune}, which is not in the template`);
      }
    }
  }
  return problems;
}

function sampleProblems(spec: TemplateSpec): string[] {
  const problems: string[] = [];
  spec.samples.forEach((sample, index) => {
    for (const param of spec.parameters) {
      if (param.placeholder !== undefined && !(param.name in sample)) {
        problems.push(`samples[${index}] does not set '${param.name}'`);
      }
    }
    for (const message of checkAll(spec, sample).problems) {
      problems.push(`samples[${index}]: ${message}`);
    }
  });
  return problems;
}

/** Every problem of this template; empty when it is sound. */
export function specProblems(
  spec: TemplateSpec,
  files: Map<string, string>,
  dirName: string,
): string[] {
  const problems: string[] = [];
  if (spec.name !== dirName) {
    problems.push(`name '${spec.name}' differs from its directory '${dirName}'`);
  }
  for (const row of spec.platformRows) {
    if (!rowIds.has(row)) problems.push(`platform row '${row}' is not in data/platforms.json`);
  }
  if (!files.has('README.md')) problems.push('README.md is missing');
  return [
    ...problems,
    ...parameterProblems(spec, files),
    ...placeholderProblems(spec, files),
    ...sampleProblems(spec),
  ];
}
