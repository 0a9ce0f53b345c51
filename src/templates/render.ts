// Rendering: a template's files plus checked parameter values -> the files to
// write. Pure: no disk, no clock. Placeholders are replaced in one pass, so a
// value that happens to contain another placeholder's text is left alone.
import type { FileTree, ParamSpec, ParamValues, Template, TemplateSpec } from './types.js';

export class RenderError extends Error {
  override name = 'RenderError';
}

interface Substitution {
  param: ParamSpec;
  placeholder: string;
  value: string;
}

export type FileKind = 'nix' | 'text';

export function fileKind(path: string): FileKind {
  return path.endsWith('.nix') ? 'nix' : 'text';
}

function substitutions(spec: TemplateSpec, values: ParamValues): Substitution[] {
  const subs: Substitution[] = [];
  for (const param of spec.parameters) {
    if (param.placeholder === undefined) continue;
    const value = values[param.name];
    if (typeof value !== 'string') {
      throw new RenderError(`parameter '${param.name}' has no text value to render`);
    }
    subs.push({ param, placeholder: param.placeholder, value });
  }
  // Longest first, so a placeholder that contains another wins.
  return subs.sort((a, b) => b.placeholder.length - a.placeholder.length);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Escapes text for the inside of a Nix double-quoted string. */
export function escapeNixString(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\$\{/g, '\\${');
}

function replaceAll(text: string, subs: Substitution[], encode: (s: Substitution) => string) {
  if (subs.length === 0) return text;
  const byText = new Map(subs.map((s) => [s.placeholder, s]));
  const pattern = new RegExp(subs.map((s) => escapeRegExp(s.placeholder)).join('|'), 'g');
  return text.replace(pattern, (match) => encode(byText.get(match) as Substitution));
}

function encodeFor(kind: FileKind, where: string) {
  return (s: Substitution): string => {
    if (!s.param.freeText) return s.value; // validated: nothing to escape
    if (kind === 'nix') return escapeNixString(s.value);
    throw new RenderError(
      `${where}: free-text parameter '${s.param.name}' may only appear in .nix files`,
    );
  };
}

// A value that becomes part of a file name must be one plain name.
const SAFE_SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._+-]*$/;

function renderPath(path: string, subs: Substitution[]): string {
  return replaceAll(path, subs, (s) => {
    if (!SAFE_SEGMENT.test(s.value) || s.value.includes('..')) {
      throw new RenderError(
        `parameter '${s.param.name}' names a path in the template (${path}) and must be a plain file name`,
      );
    }
    return s.value;
  });
}

/** Replaces placeholders in one text (a file or a printed command). */
export function renderText(
  text: string,
  spec: TemplateSpec,
  values: ParamValues,
  kind: FileKind,
  where = spec.name,
): string {
  return replaceAll(text, substitutions(spec, values), encodeFor(kind, where));
}

/** Paths removed by boolean parameters that are false. */
export function prunedPaths(spec: TemplateSpec, values: ParamValues): string[] {
  return spec.parameters
    .filter((p) => p.type === 'boolean' && values[p.name] === false)
    .flatMap((p) => p.prunes ?? []);
}

export function isUnder(path: string, prefixes: readonly string[]): boolean {
  return prefixes.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
}

/** The files to write for these (already checked) values. */
export function render(template: Template, values: ParamValues): FileTree {
  const { spec } = template;
  const subs = substitutions(spec, values);
  const pruned = prunedPaths(spec, values);
  const out: FileTree = new Map();
  for (const [path, text] of template.files) {
    if (isUnder(path, pruned)) continue;
    const target = renderPath(path, subs);
    out.set(target, replaceAll(text, subs, encodeFor(fileKind(path), path)));
  }
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The commands to print after init, with values filled in. */
export function renderNextCommands(spec: TemplateSpec, values: ParamValues): string[] {
  return spec.nextCommands.map((c) => renderText(c, spec, values, 'text', 'nextCommands'));
}
