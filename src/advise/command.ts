// crossflake advise: dev shell or NixOS VM for the job at hand.
import { EXIT, UserError, type CommandModule } from '../command.js';
import { loadFacts } from '../io/host/load.js';
import { colors, useColor } from '../ui/color.js';
import { pickMany, showCommand } from '../ui/prompt.js';
import { advise, isNeed, NEEDS, type Advice, type Need } from './decide.js';
import { writeEnvelope } from '../ui/json.js';
import spec from './spec.js';

function parseNeeds(values: string[]): Need[] {
  const needs = values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
  const bad = needs.find((n) => !isNeed(n));
  if (bad)
    throw new UserError(`unknown --need '${bad}'; choose from: ${Object.keys(NEEDS).join(', ')}`);
  return [...new Set(needs)] as Need[];
}

function render(advice: Advice, colored: boolean): string {
  const c = colors(colored);
  const title =
    advice.mode === 'fix-host'
      ? c.red('Fix the host first')
      : advice.mode === 'vm'
        ? c.bold(`Use a NixOS VM (${advice.leaf})`)
        : c.bold(`Use a dev shell${advice.leaf === 'dev-shell-ci' ? ' in CI' : ''}`);
  return [
    title,
    '',
    'Why:',
    ...advice.reasons.map((r) => `  - ${r}`),
    ...(advice.warnings.length ? ['', ...advice.warnings.map((w) => c.yellow(`! ${w}`))] : []),
    '',
    'Next:',
    ...advice.commands.map((cmd) => `  ${showCommand(cmd)}`),
    '',
  ].join('\n');
}

const command: CommandModule = {
  ...spec,
  async handler(opts, params, io) {
    if (params.length > 0) throw new UserError(`unexpected argument '${params[0]}'`);
    let needs = parseNeeds((opts.need as string[] | undefined) ?? []);
    if (needs.length === 0 && !opts.json && io.stdin.isTTY && io.stdout.isTTY) {
      needs = parseNeeds(await pickMany(io, 'What do you need?', Object.entries(NEEDS)));
    }
    const vmSystem = opts['vm-system'] as string | undefined;
    if (vmSystem !== undefined && !/^(x86_64|aarch64)-linux$/.test(vmSystem)) {
      throw new UserError(`--vm-system must be x86_64-linux or aarch64-linux, not '${vmSystem}'`);
    }
    const factsFile = opts.facts as string | undefined;
    const facts = await loadFacts(factsFile, io.env);
    const advice = advise({
      needs,
      facts,
      flake: (opts.flake as string | undefined) ?? '.',
      shell: (opts.shell as string | undefined) ?? 'default',
      vmSystem,
    });
    if (opts.json) {
      const failure =
        advice.mode === 'fix-host'
          ? { code: 'fix-host', message: `fix this host first: ${advice.reasons.join('; ')}` }
          : undefined;
      writeEnvelope(io, 'advise', { needs, ...advice }, failure);
    } else io.stdout.write(render(advice, useColor(io)));
    return advice.mode === 'fix-host' ? EXIT.failed : EXIT.ok;
  },
};

export default command;
