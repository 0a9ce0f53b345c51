// Dendritic repos define modules inline: `flake.modules.nixos.x = { ... };`
// in a file that import-tree loads. Moving one means taking the value out
// as a module file of its own, and leaving `flake.modules.nixos.x =
// inputs.<shared>.nixosModules.x;` behind, so every reference to
// `config.flake.modules.nixos.x` keeps working.
import { decode, parseNix, type Expr, type SyntaxTree } from '../nixlang/index.js';
import { boundAttrPaths } from '../nixlang/visit.js';
import { ensureInputs, type Edit } from './edits.js';

export type InlineResult = { module: string; edits: Edit[] } | { refusal: string };

function findValue(tree: SyntaxTree, output: string, name: string): Expr | null {
  const want = ['flake', ...output.split('.'), name];
  const hit = boundAttrPaths(tree).find(
    (b) => b.value && b.path.length === want.length && b.path.every((p, i) => p === want[i]),
  );
  return hit?.value ?? null;
}

/** The value's lines without the indentation they had inside the file. */
function dedent(text: string): string {
  const lines = text.split('\n');
  const last = lines[lines.length - 1]!;
  const indent = /^[ \t]*/.exec(last)![0];
  if (lines.length === 1 || !indent) return text;
  const rest = lines
    .slice(1)
    .map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l.trim() === '' ? '' : null));
  if (rest.some((l) => l === null)) return text;
  return [lines[0]!, ...(rest as string[])].join('\n');
}

export function extractInline(
  source: string,
  output: string,
  name: string,
  replacement: string,
): InlineResult {
  const tree = parseNix(source);
  const value = findValue(tree, output, name);
  if (!value) return { refusal: `cannot find flake.${output}.${name} in the file` };
  const module = `${dedent(source.slice(value.start, value.end))}\n`;
  // Standing alone, the module must not need names of the enclosing file
  // (`inputs`, a `let` binding): Nix would call them undefined.
  const alone = parseNix(module);
  if (alone.diagnostics.length > 0) {
    return {
      refusal: `the module uses names from its file (${decode(alone.diagnostics[0]!.message)}); move it by hand`,
    };
  }
  const edits: Edit[] = [{ start: value.start, end: value.end, text: replacement }];
  const inputs = ensureInputs(tree);
  if (inputs) edits.push(inputs);
  return { module, edits };
}
