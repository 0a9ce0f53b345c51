// The commands a generated job runs, as data. The workflow files show them as
// shell text; `crossflake ci run` runs the very same values on this host:
// crossflake's own commands as argument arrays, the team's own scripts (smoke
// commands, extra steps, ci.crossflakeCommand) as scripts, through bash as a
// hosted runner runs a `run:` block.
export type Command = { argv: readonly string[] } | { script: string };

// Characters that never need quoting in a POSIX shell word.
const PLAIN = /^[A-Za-z0-9_./:#=@%+,-]+$/;

/** One argument as a POSIX shell word (single quotes when needed). */
export function shellWord(arg: string): string {
  if (PLAIN.test(arg)) return arg;
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

/** The command as one line of a `run:` block or GitLab `script:` entry. */
export function shellText(command: Command): string {
  return 'script' in command ? command.script : command.argv.map(shellWord).join(' ');
}

/** How a runner's default shell runs a `run:` block (bash -e), as an argument array. */
export function argvOf(command: Command): readonly string[] {
  return 'script' in command ? ['bash', '-e', '-c', command.script] : command.argv;
}
