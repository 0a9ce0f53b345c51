// Checks on a rendered template (what `crossflake init --test` and the tests
// assert): no placeholder left, no personal value that the user did not give,
// and the chosen Nix system wherever the system matters and no other system
// anywhere. Pure functions over the rendered files.
import platforms from '../../data/platforms.json' with { type: 'json' };
import type { FileTree, ParamValues, TemplateSpec } from './types.js';

export interface Finding {
  file: string | null;
  line: number | null;
  message: string;
}

export const ALL_SYSTEMS: readonly string[] = [...new Set(platforms.rows.map((r) => r.nixSystem))];

function* linesOf(files: FileTree): Generator<[string, number, string]> {
  for (const [file, text] of files) {
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) yield [file, i + 1, lines[i] as string];
  }
}

function textValues(values: ParamValues): string[] {
  return Object.values(values).filter((v): v is string => typeof v === 'string');
}

export function leftoverPlaceholders(
  spec: TemplateSpec,
  values: ParamValues,
  files: FileTree,
): Finding[] {
  const given = textValues(values);
  const findings: Finding[] = [];
  for (const param of spec.parameters) {
    const text = param.placeholder;
    // A value equal to (or containing) its placeholder cannot be told apart.
    if (text === undefined || given.some((v) => v.includes(text))) continue;
    for (const file of files.keys()) {
      if (file.includes(text)) {
        findings.push({ file, line: null, message: `file name keeps placeholder ${text}` });
      }
    }
    for (const [file, line, content] of linesOf(files)) {
      if (content.includes(text)) {
        findings.push({ file, line, message: `placeholder ${JSON.stringify(text)} left over` });
      }
    }
  }
  return findings;
}

// Values that identify a person: an e-mail, a home directory with a name in
// it. In rendered output only the user's own parameter values may carry them.
const PERSONAL: readonly [string, RegExp][] = [
  ['e-mail address', /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g],
  ['home directory', /\/home\/[A-Za-z0-9_][A-Za-z0-9._-]*/g],
  ['macOS home directory', /(?<!\/mnt\/[a-z])\/Users\/[A-Za-z0-9_][A-Za-z0-9._-]*/g],
  ['Windows user directory', /(?:\/mnt\/c\/Users\/|[Cc]:\\\\?Users\\\\?)[A-Za-z0-9_][A-Za-z0-9._ -]*/g],
];

export function personalValues(values: ParamValues, files: FileTree): Finding[] {
  const given = textValues(values);
  const findings: Finding[] = [];
  for (const [file, line, content] of linesOf(files)) {
    for (const [what, pattern] of PERSONAL) {
      for (const match of content.matchAll(pattern)) {
        const found = match[0];
        const owned = given.some((v) => v.includes(found) || found.endsWith(`/${v}`));
        if (!owned) findings.push({ file, line, message: `personal value (${what}): ${found}` });
      }
    }
  }
  return findings;
}

/** The chosen system must appear somewhere; any other system string nowhere. */
export function systemFindings(
  spec: TemplateSpec,
  values: ParamValues,
  files: FileTree,
  systems: readonly string[] = ALL_SYSTEMS,
): Finding[] {
  const chosen = spec.parameters.some((p) => p.name === 'system') ? values.system : undefined;
  const findings: Finding[] = [];
  for (const [file, line, content] of linesOf(files)) {
    for (const other of systems) {
      if (other !== chosen && content.includes(other)) {
        findings.push({ file, line, message: `mentions ${other}, not the chosen system` });
      }
    }
  }
  if (typeof chosen === 'string' && ![...files.values()].some((t) => t.includes(chosen))) {
    findings.push({ file: null, line: null, message: `the chosen system ${chosen} appears nowhere` });
  }
  return findings;
}

export function checkRendered(spec: TemplateSpec, values: ParamValues, files: FileTree): Finding[] {
  return [
    ...leftoverPlaceholders(spec, values, files),
    ...personalValues(values, files),
    ...systemFindings(spec, values, files),
  ];
}

export function formatFinding(f: Finding): string {
  const where = f.file === null ? '' : f.line === null ? `${f.file}: ` : `${f.file}:${f.line}: `;
  return `${where}${f.message}`;
}
