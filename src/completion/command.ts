// `crossflake completion bash|zsh|fish|powershell`: prints a completion script
// made from the command table, so it lists exactly the commands, subcommands
// and flags this version has, and the values known here (templates, image
// formats, systems, check steps).
import {
  EXIT,
  UserError,
  type CommandModule,
  type CommandSpec,
  type OptionsConfig,
} from '../command.js';
import { commandSpec, SHELLS, type CompletionSpec, type Shell, type TableEntry } from './model.js';

export interface LoadableEntry extends TableEntry {
  spec: () => Promise<CommandSpec>;
}

const help = () => `Usage: crossflake completion <shell>

Prints the completion script for <shell>: ${SHELLS.join(', ')}. Load it in your
shell's start-up file:
  bash        source <(crossflake completion bash)          (~/.bashrc)
  zsh         source <(crossflake completion zsh)           (~/.zshrc, after compinit)
  fish        crossflake completion fish | source           (~/.config/fish/config.fish)
  powershell  crossflake completion powershell | Out-String | Invoke-Expression   ($PROFILE)

Options:
  -h, --help  Show this help
`;

function isShell(value: string | undefined): value is Shell {
  return (SHELLS as readonly string[]).includes(value ?? '');
}

async function spec(table: readonly LoadableEntry[], self: TableEntry): Promise<CompletionSpec> {
  const [{ valueRules }, { templateNames, embeddedTemplatesDir }, { STEP_IDS }] = await Promise.all(
    [import('./values.js'), import('../templates/load.js'), import('../check/spec.js')],
  );
  const rules = valueRules({
    templates: await templateNames(embeddedTemplatesDir()),
    checkSteps: STEP_IDS,
  });
  const options = async (e: LoadableEntry): Promise<OptionsConfig> =>
    e.name === self.name ? {} : (await e.spec()).cliOptionsTypes();
  const commands = await Promise.all(
    table.map(async (e) => commandSpec(e, await options(e), rules)),
  );
  return { program: 'crossflake', commands };
}

async function render(shell: Shell, s: CompletionSpec): Promise<string> {
  if (shell === 'bash') return (await import('./bash.js')).bashScript(s);
  if (shell === 'zsh') return (await import('./zsh.js')).zshScript(s);
  if (shell === 'fish') return (await import('./fish.js')).fishScript(s);
  return (await import('./powershell.js')).powershellScript(s);
}

/** The command, given the table it describes (src/cli.ts passes its own). */
export function completionCommand(table: readonly LoadableEntry[]): CommandModule {
  return {
    commandNames: ['completion'],
    help,
    cliOptionsTypes: () => ({}),
    async handler(_opts, params, io) {
      const [shell] = params;
      if (!isShell(shell)) {
        const what = shell === undefined ? 'which shell?' : `no completion for '${shell}';`;
        throw new UserError(`${what} one of: ${SHELLS.join(', ')}`);
      }
      const self = table.find((e) => e.name === 'completion') ?? {
        name: 'completion',
        summary: '',
        arity: 1,
      };
      io.stdout.write(await render(shell, await spec(table, self)));
      return EXIT.ok;
    },
  };
}
