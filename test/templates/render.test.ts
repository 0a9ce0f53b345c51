import { describe, expect, it } from 'vitest';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { embeddedTemplatesDir, loadAll } from '../../src/templates/load.js';
import {
  escapeNixString,
  render,
  renderNextCommands,
  RenderError,
} from '../../src/templates/render.js';
import { checkAll } from '../../src/templates/validate.js';
import type { FileTree, Template, TemplateSpec } from '../../src/templates/types.js';

const templates = await loadAll(embeddedTemplatesDir());
const GOLDEN = 'test/fixtures/templates';

async function readGolden(dir: string): Promise<FileTree> {
  const out: FileTree = new Map();
  async function walk(d: string): Promise<void> {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const full = join(d, e.name);
      if (e.isDirectory()) await walk(full);
      else out.set(relative(dir, full).split(sep).join('/'), await readFile(full, 'utf8'));
    }
  }
  await walk(dir);
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : 1)));
}

async function writeGolden(dir: string, files: FileTree): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  for (const [path, text] of files) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
}

describe('golden files: every template rendered with its first sample', () => {
  for (const template of templates) {
    it(`${template.spec.name} matches ${GOLDEN}/${template.spec.name}/ (UPDATE_GOLDEN=1 rewrites)`, async () => {
      const { values, problems } = checkAll(template.spec, template.spec.samples[0]!);
      expect(problems).toEqual([]);
      const files = render(template, values);
      const dir = join(GOLDEN, template.spec.name);
      if (process.env.UPDATE_GOLDEN) await writeGolden(dir, files);
      const golden = await readGolden(dir);
      expect([...files.keys()]).toEqual([...golden.keys()]);
      for (const [path, text] of files) expect(text, path).toBe(golden.get(path));
    });
  }
});

function tiny(files: Record<string, string>, extra: Partial<TemplateSpec> = {}): Template {
  return {
    dir: '/nowhere',
    files: new Map(Object.entries(files)),
    spec: {
      name: 'tiny',
      description: 'a tiny template for tests',
      platformRows: ['linux-x86_64'],
      nextCommands: ['run HOSTNAME_X'],
      samples: [],
      parameters: [
        { name: 'hostname', description: 'h', type: 'string', default: 'HOSTNAME_X', placeholder: 'HOSTNAME_X', pattern: '^.*$', rule: 'r', allowSlash: true },
        { name: 'user', description: 'u', type: 'string', default: 'USER_X', placeholder: 'USER_X', pattern: '^.*$', rule: 'r' },
        { name: 'fullName', description: 'f', type: 'string', default: 'Your Name', placeholder: 'Your Name', pattern: '^.*$', rule: 'r', freeText: true },
        { name: 'extra', description: 'e', type: 'boolean', default: true, prunes: ['extra'], rule: 'yes or no' },
      ],
      ...extra,
    },
  };
}

describe('rendering', () => {
  const values = { hostname: 'box', user: 'ada', fullName: 'Ada', extra: true };

  it('replaces placeholders in contents and file names, in one pass', () => {
    // The user's value contains another placeholder's text: it must stay as given.
    const out = render(tiny({ 'hosts/HOSTNAME_X.nix': '"HOSTNAME_X" "USER_X"' }), {
      ...values,
      user: 'HOSTNAME_X-fan',
    });
    expect([...out]).toEqual([['hosts/box.nix', '"box" "HOSTNAME_X-fan"']]);
  });

  it('escapes free text for Nix strings so it cannot end the string or interpolate', () => {
    expect(escapeNixString('a"b\\c${d}')).toBe('a\\"b\\\\c\\${d}');
    const out = render(tiny({ 'f.nix': 'x = "Your Name";' }), {
      ...values,
      fullName: 'Bobby "Tables" ${builtins.abort "x"}',
    });
    expect(out.get('f.nix')).toBe('x = "Bobby \\"Tables\\" \\${builtins.abort \\"x\\"}";');
  });

  it('refuses free text outside .nix files', () => {
    expect(() => render(tiny({ 'README.md': 'by Your Name' }), values)).toThrow(RenderError);
  });

  it('refuses a value that would make a file name anything but one plain name', () => {
    expect(() =>
      render(tiny({ 'hosts/HOSTNAME_X/a.nix': '' }), { ...values, hostname: 'a/b' }),
    ).toThrow(/must be a plain file name/);
  });

  it('a false boolean prunes its paths, a true one keeps them', () => {
    const files = { 'a.nix': '', 'extra/b.nix': '', 'extra-not/c.nix': '' };
    expect([...render(tiny(files), values).keys()]).toEqual(['a.nix', 'extra-not/c.nix', 'extra/b.nix']);
    expect([...render(tiny(files), { ...values, extra: false }).keys()]).toEqual([
      'a.nix',
      'extra-not/c.nix',
    ]);
  });

  it('next commands get the values too', () => {
    expect(renderNextCommands(tiny({}).spec, values)).toEqual(['run box']);
  });

  it('the shipped templates prune home.nix and the colleague template when asked', () => {
    const wsl = templates.find((t) => t.spec.name === 'wsl-nixos')!;
    const sample = checkAll(wsl.spec, { ...wsl.spec.samples[0]!, homeManager: false }).values;
    expect(render(wsl, sample).has('home.nix')).toBe(false);
    const team = templates.find((t) => t.spec.name === 'team')!;
    const teamValues = checkAll(team.spec, { ...team.spec.samples[0]!, colleagueTemplate: false }).values;
    expect([...render(team, teamValues).keys()].some((p) => p.startsWith('templates/'))).toBe(false);
  });
});
