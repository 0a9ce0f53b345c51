// Two of three hand-written templates once failed because they set options
// the imported modules did not define (FIELD-NOTES.md). Every crossflake.*
// option a template sets must be declared by the shared modules in nix/.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { embeddedTemplatesDir, loadAll } from '../../src/templates/load.js';

const templates = await loadAll(embeddedTemplatesDir());

function nixFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? nixFiles(join(dir, e.name)) : e.name.endsWith('.nix') ? [join(dir, e.name)] : [],
  );
}
const modules = nixFiles('nix/modules').map((file) => ({ file, text: readFileSync(file, 'utf8') }));

/** Declared when one module declares the leaf and names every segment on the way. */
function declared(path: string): boolean {
  const segments = path.split('.').slice(1); // after "crossflake"
  const leaf = segments.at(-1) as string;
  const leafDecl = new RegExp(`(^|\\s|\\.)${leaf} = (mkOption|mkEnableOption|on )`, 'm');
  return modules.some(({ text }) => {
    if (!text.includes('options.crossflake')) return false;
    if (!leafDecl.test(text)) return false;
    return segments.slice(0, -1).every((s) => text.includes(`${s} = {`) || text.includes(`.${s}`));
  });
}

const SET = /(crossflake(?:\.[A-Za-z][A-Za-z0-9]*)+)\s*=/g;

describe('crossflake.* options the templates set', () => {
  const uses = templates.flatMap(({ spec, files }) =>
    [...files].flatMap(([file, text]) =>
      file.endsWith('.nix')
        ? [...text.matchAll(SET)].map((m) => ({ where: `${spec.name}/${file}`, option: m[1] as string }))
        : [],
    ),
  );

  it('are found (the templates use the shared options, not copies of them)', () => {
    expect(new Set(uses.map((u) => u.option))).toEqual(
      new Set([
        'crossflake.user.name',
        'crossflake.user.description',
        'crossflake.locale.timeZone',
        'crossflake.darwin.hostPlatform',
        'crossflake.darwin.determinateNix',
        'crossflake.home.git.userName',
        'crossflake.home.git.userEmail',
        'crossflake.home.cli.extraPackages',
        'crossflake.cli.extraPackages',
        'crossflake.images',
      ]),
    );
  });

  for (const { where, option } of uses) {
    // crossflake.images is the team flake's output (the image matrix), not a module option.
    if (option === 'crossflake.images') continue;
    it(`${where}: ${option} is declared in nix/modules`, () => {
      expect(declared(option)).toBe(true);
    });
  }

  it('the check can fail: an invented option is not declared', () => {
    expect(declared('crossflake.user.shoeSize')).toBe(false);
    expect(declared('crossflake.wsl.nonsense')).toBe(false);
  });
});
