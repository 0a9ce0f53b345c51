// Each template's README explains the first three commands for its platform
// row, and they are the commands init prints; nix/templates.nix (the flake's
// templates output) lists every template with the same description.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import platforms from '../../data/platforms.json' with { type: 'json' };
import { needsNix, nixEnv, nixVersion } from '../helpers/nix.js';
import { embeddedTemplatesDir, loadAll } from '../../src/templates/load.js';
import { render, renderNextCommands } from '../../src/templates/render.js';
import { checkAll } from '../../src/templates/validate.js';

const templates = await loadAll(embeddedTemplatesDir());

function firstThree(readme: string): string[] {
  const section = readme.split(/^## First three commands$/m)[1];
  if (section === undefined) return [];
  const body = section.split(/^## /m)[0] ?? '';
  return [...body.matchAll(/^(\d)\. `([^`]+)`/gm)].map((m) => `${m[1]} ${m[2]}`);
}

describe('template READMEs', () => {
  for (const template of templates) {
    it(`${template.spec.name}: three numbered commands, the ones init prints, for its platform rows`, () => {
      const values = checkAll(template.spec, template.spec.samples[0]!).values;
      const readme = render(template, values).get('README.md') as string;
      const commands = renderNextCommands(template.spec, values);
      expect(firstThree(readme)).toEqual(commands.map((c, i) => `${i + 1} ${c}`));
      expect(commands).toHaveLength(3);
      expect(readme).toMatch(/^## Platform: .+$/m);
      const rows = platforms.rows.filter((r) => template.spec.platformRows.includes(r.id));
      expect(rows.map((r) => r.id).sort()).toEqual([...template.spec.platformRows].sort());
    });
  }
});

describe.skipIf(!nixVersion)(`nix/templates.nix, the flake's templates output${needsNix}`, () => {
  it('lists every template directory with its template.json description and a welcome text', async () => {
    const expr =
      'builtins.mapAttrs (n: t: { path = toString t.path; inherit (t) description welcomeText; }) (import ./nix/templates.nix)';
    const out = execFileSync('nix-instantiate', ['--eval', '--strict', '--json', '--expr', expr], {
      env: nixEnv(),
      encoding: 'utf8',
    });
    const listed = JSON.parse(out) as Record<string, { path: string; description: string; welcomeText: string }>;
    const dirs = (await readdir('templates', { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
    expect(Object.keys(listed).sort()).toEqual(dirs.sort());
    for (const t of templates) {
      const entry = listed[t.spec.name]!;
      expect(entry.path).toBe(`${process.cwd()}/templates/${t.spec.name}`);
      expect(entry.description).toBe(t.spec.description);
      expect(entry.welcomeText).toMatch(/README\.md/);
      expect(entry.welcomeText).toContain(`crossflake init ${t.spec.name}`);
    }
  });
});
