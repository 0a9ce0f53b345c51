// What `crossflake parse --help` and option parsing need; the handler is
// in command.ts, loaded only when parse runs.
import type { CommandSpec } from '../command.js';

const spec: CommandSpec = {
  commandNames: ['parse'],
  help: () =>
    [
      'Usage: crossflake parse <file...> [--json | --print-nix] [--pipes]',
      '',
      "Parse Nix files with crossflake's parser. Prints file:line:column for each",
      'problem and exits 1 if there is any. Use - to read standard input.',
      '',
      'Options:',
      '  --json       Print the syntax tree as JSON: nodes with byte offsets, and the',
      '               comments and whitespace between them as trivia',
      '  --print-nix  Print each AST the way `nix-instantiate --parse <file>` does',
      '  --pipes      Accept the |> and <| operators (not in Nix 2.8)',
      '',
    ].join('\n'),
  cliOptionsTypes: () => ({
    json: { type: 'boolean' },
    'print-nix': { type: 'boolean' },
    pipes: { type: 'boolean' },
  }),
};

export default spec;
