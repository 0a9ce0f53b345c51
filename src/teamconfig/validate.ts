// Validates the text of crossflake.json against data/crossflake.schema.json
// and the support matrix. Pure: text in, config or a TeamConfigError out.
// Each problem names the file, line and column, and the JSON path of the
// offending value, so the user can jump straight to it.
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import { LineCounter, parseDocument } from 'yaml';
import schema from '../../data/crossflake.schema.json' with { type: 'json' };
import { platformRows } from '../platforms/index.js';
import { withDefaults, type RawTeamConfig, type TeamConfig } from './types.js';

export interface ConfigProblem {
  /** Path segments from the root, e.g. ['ci', 'extraSteps', 0, 'run']. */
  path: (string | number)[];
  message: string;
  line: number;
  column: number;
}

export class TeamConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: ConfigProblem[],
  ) {
    super(
      [`invalid team config ${file}:`, ...problems.map((p) => describeProblem(file, p))].join('\n'),
    );
    this.name = 'TeamConfigError';
  }
}

function describeProblem(file: string, p: ConfigProblem): string {
  return `  ${file}:${p.line}:${p.column}: ${jsonPath(p.path)}: ${p.message}`;
}

/** `$.ci.extraSteps[0].run`; keys that are not identifiers are bracket-quoted. */
export function jsonPath(path: readonly (string | number)[]): string {
  return (
    '$' +
    path
      .map((seg) =>
        typeof seg === 'number'
          ? `[${seg}]`
          : /^[A-Za-z_$][\w$]*$/.test(seg)
            ? `.${seg}`
            : `[${JSON.stringify(seg)}]`,
      )
      .join('')
  );
}

let compiled: ReturnType<Ajv2020['compile']> | undefined;
function validator(): ReturnType<Ajv2020['compile']> {
  compiled ??= new Ajv2020({ allErrors: true, strict: true, strictRequired: false }).compile(
    schema,
  );
  return compiled;
}

export function validateTeamConfig(text: string, file: string): TeamConfig {
  const locate = locator(text);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    const { line, column } = locate.offset(jsonErrorOffset(error as Error, text));
    throw new TeamConfigError(file, [
      { path: [], message: `not valid JSON (${(error as Error).message})`, line, column },
    ]);
  }
  const validate = validator();
  if (!validate(raw)) {
    throw new TeamConfigError(
      file,
      (validate.errors ?? []).map((e) => toProblem(e, locate)),
    );
  }
  const problems = semanticProblems(raw as RawTeamConfig).map((p) => ({
    ...p,
    ...locate.path(p.path),
  }));
  if (problems.length > 0) throw new TeamConfigError(file, problems);
  return withDefaults(raw as RawTeamConfig);
}

/** What the schema cannot say: row ids must exist and have a hosted runner. */
function semanticProblems(raw: RawTeamConfig): Omit<ConfigProblem, 'line' | 'column'>[] {
  const problems: Omit<ConfigProblem, 'line' | 'column'>[] = [];
  for (const [id, on] of Object.entries(raw.ci?.rows ?? {})) {
    const row = platformRows.find((r) => r.id === id);
    if (!row) {
      const known = platformRows.map((r) => r.id).join(', ');
      problems.push({
        path: ['ci', 'rows', id],
        message: `unknown platform row (known: ${known})`,
      });
    } else if (on && row.runner === null) {
      problems.push({
        path: ['ci', 'rows', id],
        message: `row ${id} has no hosted CI runner in data/platforms.json, so it cannot be switched on`,
      });
    }
  }
  raw.health?.platforms?.forEach((id, i) => {
    if (!platformRows.some((r) => r.id === id)) {
      problems.push({
        path: ['health', 'platforms', i],
        message: `unknown platform row (known: ${platformRows.map((r) => r.id).join(', ')})`,
      });
    }
  });
  return problems;
}

function toProblem(e: ErrorObject, locate: Locator): ConfigProblem {
  const path = e.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  let message = e.message ?? 'is invalid';
  if (e.keyword === 'additionalProperties') {
    const key = String((e.params as { additionalProperty: string }).additionalProperty);
    path.push(key);
    message = 'unknown key (not in data/crossflake.schema.json)';
  } else if (e.keyword === 'enum') {
    const allowed = (e.params as { allowedValues: unknown[] }).allowedValues;
    message = `must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`;
  }
  return { path, message, ...locate.path(path) };
}

interface Locator {
  offset(offset: number): { line: number; column: number };
  path(path: readonly (string | number)[]): { line: number; column: number };
}

// JSON is YAML 1.2, so the yaml parser gives source ranges for any JSON path;
// a path that does not resolve falls back to its nearest existing parent.
function locator(text: string): Locator {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, keepSourceTokens: false });
  const offset = (o: number) => {
    const pos = lineCounter.linePos(Math.max(0, Math.min(o, text.length)));
    return { line: pos.line, column: pos.col };
  };
  return {
    offset,
    path(path) {
      for (let n = path.length; n >= 0; n--) {
        const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] };
        if (node && node.range) return offset(node.range[0]);
      }
      return { line: 1, column: 1 };
    },
  };
}

function jsonErrorOffset(error: Error, text: string): number {
  const match = /position (\d+)/.exec(error.message);
  return match ? Number(match[1]) : text.length;
}
