import { afterAll, describe, expect, it } from 'vitest';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  embeddedTemplatesDir,
  loadAll,
  loadTemplate,
  packageRoot,
  TemplateError,
} from '../../src/templates/load.js';

const work = await mkdtemp(join(tmpdir(), 'cf-load-'));
afterAll(() => rm(work, { recursive: true, force: true }));

/** A copy of the shipped wsl-home template whose template.json is edited by `edit`. */
async function variant(name: string, edit: (spec: Record<string, unknown>) => void): Promise<string> {
  const dir = join(work, name, 'wsl-home');
  await cp(join(embeddedTemplatesDir(), 'wsl-home'), dir, { recursive: true });
  const spec = JSON.parse(await readFile(join(dir, 'template.json'), 'utf8')) as Record<string, unknown>;
  edit(spec);
  await writeFile(join(dir, 'template.json'), JSON.stringify(spec, null, 2));
  return dir;
}

type Param = Record<string, unknown>;
const paramsOf = (spec: Record<string, unknown>) => spec.parameters as Param[];

describe('loading templates', () => {
  it('finds the package root from any depth (dist/cli.js and dist/chunks/x.js alike)', async () => {
    const root = packageRoot(join(process.cwd(), 'src', 'templates', 'load.ts'));
    expect(root).toBe(process.cwd());
    expect(packageRoot(join(root, 'dist', 'chunks', 'deep', 'x.js'))).toBe(root);
    expect(() => packageRoot('/x/y/z.js')).toThrow(TemplateError);
  });

  it('loads every shipped template without template.json among its files', async () => {
    const all = await loadAll(embeddedTemplatesDir());
    expect(all).toHaveLength(5);
    for (const t of all) {
      expect(t.files.has('template.json')).toBe(false);
      expect(t.files.has('README.md')).toBe(true);
      expect(t.files.has('flake.nix')).toBe(true);
    }
  });

  it('a template.json that breaks the schema names the file and the field', async () => {
    const dir = await variant('schema', (spec) => {
      paramsOf(spec)[0]!.type = 'number';
    });
    await expect(loadTemplate(dir)).rejects.toThrow(
      /wsl-home\/template\.json does not match data\/template\.schema\.json:\n.*\/parameters\/0\/type/,
    );
  });

  it('invalid JSON names the file and the position', async () => {
    const dir = join(work, 'json', 'wsl-home');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'template.json'), '{ "name": "wsl-home", }');
    await expect(loadTemplate(dir)).rejects.toThrow(/template\.json: not valid JSON: .*position/);
  });

  const broken: [string, (spec: Record<string, unknown>) => void, RegExp][] = [
    [
      'a placeholder that occurs in no file',
      (s) => {
        paramsOf(s)[0]!.placeholder = 'nowhere-user';
        paramsOf(s)[0]!.default = 'nowhere-user';
      },
      /placeholder "nowhere-user" of 'username' occurs in no file/,
    ],
    [
      'a default that differs from its placeholder',
      (s) => {
        paramsOf(s)[0]!.default = 'nixos';
      },
      /'username': default must equal its placeholder/,
    ],
    [
      'overlapping placeholders',
      (s) => {
        (paramsOf(s)[3] as Param).placeholder = 'crossflake-user@example.com';
        (paramsOf(s)[3] as Param).default = 'crossflake-user@example.com';
      },
      /placeholder of 'username' occurs inside the placeholder of 'email'/,
    ],
    [
      'a sample that breaks a rule',
      (s) => {
        (s.samples as Param[])[0]!.username = 'root';
      },
      /samples\[0\]: parameter 'username' must not be "root"/,
    ],
    [
      'free text in a printed command',
      (s) => {
        (s.nextCommands as string[]).push('echo Your Name');
      },
      /free-text 'fullName' must not appear in nextCommands/,
    ],
    [
      'an unknown platform row',
      (s) => {
        s.platformRows = ['plan9-mips'];
      },
      /platform row 'plan9-mips' is not in data\/platforms\.json/,
    ],
  ];
  for (const [what, edit, message] of broken) {
    it(`refuses ${what}`, async () => {
      const dir = await variant(what.replace(/\W+/g, '-'), edit);
      await expect(loadTemplate(dir)).rejects.toThrow(message);
    });
  }
});
