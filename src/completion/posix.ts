// The lookup functions the bash and zsh scripts share: plain `case`
// statements, which both shells (and bash 3.2, macOS's) run the same way.
// Each prints its words one a line.
import type { CommandSpec, CompletionSpec, FlagSpec } from './model.js';
import { GLOBAL_FLAGS } from './model.js';
import { shellWord } from './quote.js';

const print = (list: readonly string[]) => `printf '%s\\n' ${list.map(shellWord).join(' ')}`;
const longFlags = (flags: readonly FlagSpec[]) =>
  flags.flatMap((f) => [`--${f.name}`, ...(f.short ? [`-${f.short}`] : [])]);

function valuedPatterns(commands: readonly CommandSpec[]): string[] {
  return commands.flatMap((c) =>
    c.flags
      .filter((f) => f.takesValue)
      .flatMap((f) => [`${c.name}:--${f.name}`, ...(f.short ? [`${c.name}:-${f.short}`] : [])]),
  );
}

function valuesCases(commands: readonly CommandSpec[]): string[] {
  return commands.flatMap((c) => [
    ...c.flags
      .filter((f) => f.values.length > 0)
      .flatMap((f) =>
        [`${c.name}:--${f.name}`, ...(f.short ? [`${c.name}:-${f.short}`] : [])].map(
          (key) => `    ${shellWord(key)}) ${print(f.values)} ;;`,
        ),
      ),
    ...(c.firstArgument.length
      ? [`    ${shellWord(`${c.name}:`)}) ${print(c.firstArgument)} ;;`]
      : []),
  ]);
}

/** The function name prefix: the program name as an identifier. */
export function functionName(spec: CompletionSpec): string {
  return `_${spec.program.replace(/[^A-Za-z0-9]/g, '_')}`;
}

export function lookupFunctions(spec: CompletionSpec): string {
  const fn = functionName(spec);
  const { commands } = spec;
  const valued = valuedPatterns(commands);
  return `${fn}_commands() {
  ${print(commands.map((c) => c.name))}
}

${fn}_flags() {
  case $1 in
${commands.map((c) => `    ${shellWord(c.name)}) ${print(longFlags(c.flags))} ;;`).join('\n')}
    *) ${print(longFlags(GLOBAL_FLAGS))} ;;
  esac
}

${fn}_subcommands() {
  case $1 in
${commands
  .filter((c) => c.subcommands.length > 0)
  .map((c) => `    ${shellWord(c.name)}) ${print(c.subcommands)} ;;`)
  .join('\n')}
    *) ;;
  esac
}

# Succeeds when "$1:$2" (command:flag) is a flag that takes a value.
${fn}_valued() {
  case "$1:$2" in
${valued.length ? `    ${valued.map(shellWord).join('|')}) return 0 ;;` : ''}
    *) return 1 ;;
  esac
}

# The known values of "$1:$2" (command:flag), or of the command's first argument ("$1:").
${fn}_values() {
  case "$1:$2" in
${valuesCases(commands).join('\n')}
    *) ;;
  esac
}
`;
}
