// Checks a whole plan before it is shown or run, with the validators of the
// commands it will call: a `crossflake init` step is parsed with init's own
// options and its parameters go through the template's checkAll, an
// `images fetch` step through fetch's options. A plan that a later step would
// refuse is reported as problems up front, never discovered half-way.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { embeddedTemplatesDir, loadTemplate, templateNames } from '../templates/load.js';
import type { TemplateSpec } from '../templates/types.js';
import { checkAll, checkValue, parseParamArgs } from '../templates/validate.js';
import type { OptionsConfig, ParsedOptions } from '../command.js';
import type { Plan, Problem, Step } from './step.js';

/** Loads a template's spec by name; tests and the CLI use the embedded templates. */
export type SpecLoader = (name: string) => Promise<TemplateSpec | null>;

export const embeddedSpecs: SpecLoader = async (name) => {
  const root = embeddedTemplatesDir();
  if (!(await templateNames(root)).includes(name)) return null;
  return (await loadTemplate(join(root, name))).spec;
};

// eslint-disable-next-line no-control-regex
export const CONTROL = /[\u0000-\u001f\u007f]/;

function parse(args: string[], options: OptionsConfig) {
  return parseArgs({ args, options, allowPositionals: true, strict: true });
}

async function initProblems(step: Step, specs: SpecLoader): Promise<string[]> {
  const { cliOptionsTypes } = (await import('../init/command.js')).default;
  const { values, positionals } = parse(step.command.slice(2), cliOptionsTypes());
  const [name, , ...extra] = positionals;
  if (extra.length > 0) return [`unexpected arguments: ${extra.join(' ')}`];
  const spec = name === undefined ? null : await specs(name);
  if (!spec) return [`no template '${name ?? ''}'`];
  const given = parseParamArgs((values.param as string[] | undefined) ?? []);
  if (typeof values.flake === 'string') given.sharedFlake = values.flake;
  return checkAll(spec, given).problems;
}

async function fetchProblems(step: Step): Promise<string[]> {
  // Parsed the way `crossflake images` parses it: its options, then fetch's subset.
  const images = await import('../images/command.js');
  const { values, positionals } = parse(step.command.slice(2), images.default.cliOptionsTypes());
  images.checkOptions('fetch', values as ParsedOptions);
  if (positionals.length !== 2) return ['images fetch takes exactly one release'];
  const sha = values.sha256;
  if (sha !== undefined && !/^[0-9a-fA-F]{64}$/.test(String(sha))) {
    return [`--sha256 '${String(sha)}' is not a SHA-256`];
  }
  return [];
}

async function stepProblems(step: Step, specs: SpecLoader): Promise<string[]> {
  if (step.command.length === 0) return ['the step has no command'];
  const bad = step.command.find((a) => CONTROL.test(a));
  if (bad !== undefined) return [`an argument holds a control character: ${JSON.stringify(bad)}`];
  const [program, sub, sub2] = step.command;
  if (program !== 'crossflake') return [];
  try {
    if (sub === 'init') return await initProblems(step, specs);
    if (sub === 'images' && sub2 === 'fetch') return await fetchProblems(step);
    if (sub === 'onboard') {
      // Loaded late: this module is part of onboard itself.
      const { cliOptionsTypes } = (await import('./command.js')).default;
      parse(step.command.slice(3), cliOptionsTypes());
      return [];
    }
    return [`crossflake has no command '${sub ?? ''}' a plan may run`];
  } catch (error) {
    return [(error as Error).message];
  }
}

/**
 * The user and host names a WSL plan writes into the image's flake: the same
 * rules as the wsl-nixos template's parameters (root is refused there too).
 */
export async function namesProblems(
  values: { username: string; hostname?: string },
  specs: SpecLoader = embeddedSpecs,
): Promise<Problem[]> {
  const spec = await specs('wsl-nixos');
  if (!spec) return [];
  return Object.entries(values).flatMap(([name, value]) => {
    const param = spec.parameters.find((p) => p.name === name);
    if (!param || value === undefined) return [];
    const checked = checkValue(param, value);
    return checked.ok ? [] : [{ message: checked.message, fix: fixFor(checked.message) }];
  });
}

/** Every problem the plan's own commands would refuse, as plan problems. */
export async function validatePlan(
  plan: Plan,
  specs: SpecLoader = embeddedSpecs,
): Promise<Problem[]> {
  const found: Problem[] = [];
  for (const step of plan.steps) {
    for (const message of await stepProblems(step, specs)) {
      found.push({
        message: `step '${step.id}' would be refused: ${message}`,
        fix: fixFor(message),
      });
    }
  }
  return found;
}

function fixFor(message: string): string {
  if (/parameter 'username'/.test(message)) return 'Pass --user <your login name> (not root)';
  if (/parameter 'hostname'/.test(message)) return 'Pass --host <name> (letters, digits and -)';
  return 'Change the option that fed this value, then run onboard again';
}
