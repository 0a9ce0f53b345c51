// The detector is never loaded on the --version/--help path: the chunks that
// dist/cli.js imports statically (what runs before any command's code) do
// not include secretlint's rules. Reads the built bundle: `npm run build` first.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const dist = join(process.cwd(), 'dist');
// A rule's documentation link: in the rules' code, not in the bundled package.json.
const MARK = 'secretlint-rule-openai/README.md';

/** dist files reachable from `entry` through static `import ... from` / `import "..."` only. */
function staticClosure(entry: string): Set<string> {
  const seen = new Set<string>();
  const todo = [entry];
  while (todo.length > 0) {
    const file = todo.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    const code = readFileSync(file, 'utf8');
    for (const m of code.matchAll(
      /^\s*(?:import|export)\s(?:[^"'();]*?\sfrom\s)?["'](\.[^"']+)["']/gm,
    )) {
      todo.push(join(dirname(file), m[1] as string));
    }
  }
  return seen;
}

describe('start-up stays thin', () => {
  it('secretlint is bundled, in a chunk that cli.js does not import statically', () => {
    const chunks = readdirSync(join(dist, 'chunks')).filter((f) => f.endsWith('.js'));
    const withRules = chunks.filter((f) =>
      readFileSync(join(dist, 'chunks', f), 'utf8').includes(MARK),
    );
    expect(withRules.length).toBeGreaterThan(0);
    const startup = staticClosure(join(dist, 'cli.js'));
    expect(startup.size).toBeGreaterThan(1);
    for (const file of startup) expect(readFileSync(file, 'utf8').includes(MARK), file).toBe(false);
  });
});
