// What init skips to start fast, and that skipping never loses a check:
// the machine is asked only for defaults of parameters not given, and the
// schema is compiled only for a template.json the build did not validate.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { sourcesNeeded } from '../../src/templates/defaults.js';
import type { TemplateSpec } from '../../src/templates/types.js';

const templates = readdirSync('templates').filter((t) =>
  existsSync(join('templates', t, 'template.json')),
);
const specOf = (t: string) =>
  JSON.parse(readFileSync(join('templates', t, 'template.json'), 'utf8')) as TemplateSpec;
// Every parameter given: its default, or a value of its own for the ones
// without one (sharedFlake).
const allGiven = (spec: TemplateSpec) =>
  Object.fromEntries(
    spec.parameters.map((p) => [
      p.name,
      p.default === undefined ? 'path:/srv/shared-flake' : String(p.default),
    ]),
  );

describe('the machine is asked only for what is missing', () => {
  it('nothing when every parameter is given', () => {
    for (const t of templates)
      expect(sourcesNeeded(specOf(t), allGiven(specOf(t)))).toEqual({ facts: false, git: false });
  });

  it('facts for a missing user name, git for a missing e-mail', () => {
    const spec = specOf('bare-metal');
    const given = allGiven(spec);
    delete given.username;
    expect(sourcesNeeded(spec, given)).toEqual({ facts: true, git: false });
    const noMail = allGiven(spec);
    const mail = spec.parameters.find((p) => p.defaultFrom === 'git.user.email')!.name;
    delete noMail[mail];
    expect(sourcesNeeded(spec, noMail)).toEqual({ facts: false, git: true });
  });

  it('the built CLI runs no git when every parameter is given, and does when one is missing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cf-init-nogit-'));
    const bin = join(dir, 'bin');
    const marker = join(dir, 'git-called');
    mkdirSync(bin);
    writeFileSync(join(bin, 'git'), `#!/bin/sh\necho "$@" >> '${marker}'\nexit 1\n`);
    chmodSync(join(bin, 'git'), 0o755);
    const spec = specOf('bare-metal');
    const params = (given: Record<string, string>) =>
      Object.entries(given).flatMap(([k, v]) => ['-p', `${k}=${v}`]);
    const run = (target: string, given: Record<string, string>) =>
      spawnSync(
        process.execPath,
        [
          join(process.cwd(), 'bin/crossflake.js'),
          'init',
          'bare-metal',
          join(dir, target),
          '--non-interactive',
          ...params(given),
        ],
        {
          encoding: 'utf8',
          env: { ...process.env, PATH: `${bin}:${dirname(process.execPath)}:/usr/bin:/bin` },
        },
      );
    const all = run('a', allGiven(spec));
    expect(all.stderr).toBe('');
    expect(all.status).toBe(0);
    expect(existsSync(marker)).toBe(false);
    const some = allGiven(spec);
    delete some[spec.parameters.find((p) => p.defaultFrom === 'git.user.name')!.name];
    expect(run('b', some).status).toBe(0);
    expect(readFileSync(marker, 'utf8')).toContain('config --get user.name');
  });
});

describe('the template index the build writes (dist/template-index/<name>.json)', () => {
  it('lists every embedded template whole (template.json and files), under this build', () => {
    const built = readFileSync('dist/chunks/init.js', 'utf8');
    expect(readdirSync('dist/template-index').sort()).toEqual(templates.map((t) => `${t}.json`).sort());
    for (const name of templates) {
      const listed = JSON.parse(readFileSync(join('dist/template-index', `${name}.json`), 'utf8')) as {
        build: string;
        spec: string;
        files: Record<string, string>;
      };
      // The id this build gave itself (src/build-id.ts), in init's bundle too.
      expect(listed.build).toMatch(/^[0-9a-f]{24}$/);
      expect(built).toContain(listed.build);
      expect(listed.spec).toBe(readFileSync(join('templates', name, 'template.json'), 'utf8'));
      const files = readdirSync(join('templates', name), { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) =>
          join(e.parentPath, e.name)
            .slice(join('templates', name).length + 1)
            .split('\\')
            .join('/'),
        )
        .filter((f) => f !== 'template.json')
        .sort();
      expect(Object.keys(listed.files).sort(), name).toEqual(files);
      for (const f of files) expect(listed.files[f]).toBe(readFileSync(join('templates', name, f), 'utf8'));
    }
  });

  it('a template as built but with one file changed is checked against its files again', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cf-init-index-'));
    cpSync('templates/wsl-home', join(dir, 'tpl', 'wsl-home'), { recursive: true });
    const spec = specOf('wsl-home');
    const placeholder = spec.parameters.find(
      (p) => p.placeholder !== undefined && !spec.nextCommands.some((c) => c.includes(p.placeholder!)),
    )!.placeholder!;
    // Every file without that placeholder: the consistency check must say so.
    for (const f of readdirSync(join(dir, 'tpl', 'wsl-home'), { recursive: true, withFileTypes: true })) {
      if (!f.isFile() || f.name === 'template.json') continue;
      const path = join(f.parentPath, f.name);
      writeFileSync(path, readFileSync(path, 'utf8').split(placeholder).join('x'));
    }
    const res = spawnSync(
      process.execPath,
      [join(process.cwd(), 'bin/crossflake.js'), 'init', '--list', '--templates-dir', 'tpl'],
      { cwd: dir, encoding: 'utf8' },
    );
    expect(res.status).toBe(1);
    expect(res.stderr).toContain(`placeholder ${JSON.stringify(placeholder)}`);
    expect(res.stderr).toContain('occurs in no file');
  });

  it('a template.json one byte different is validated again (schema error reported)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cf-init-index-'));
    cpSync('templates/team', join(dir, 'tpl', 'team'), { recursive: true });
    const file = join(dir, 'tpl', 'team', 'template.json');
    const spec = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify({ ...spec, description: 42 }, null, 2));
    const res = spawnSync(
      process.execPath,
      [join(process.cwd(), 'bin/crossflake.js'), 'init', '--list', '--templates-dir', 'tpl'],
      { cwd: dir, encoding: 'utf8' },
    );
    expect(res.status).toBe(1);
    expect(res.stderr).toContain('does not match data/template.schema.json');
  });
});

describe('what init loads with every parameter given', () => {
  it('neither node:crypto, node:child_process nor node:readline (seen in Node own module list)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cf-init-modules-'));
    const hook = join(dir, 'modules.cjs');
    const list = join(dir, 'modules.txt');
    writeFileSync(
      hook,
      `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(list)}, process.moduleLoadList.join('\\n')));\n`,
    );
    const spec = specOf('wsl-nixos');
    const params = Object.entries(allGiven(spec)).flatMap(([k, v]) => ['-p', `${k}=${v}`]);
    const res = spawnSync(
      process.execPath,
      ['-r', hook, join(process.cwd(), 'bin/crossflake.js'), 'init', 'wsl-nixos', join(dir, 'out'), '--non-interactive', ...params],
      { encoding: 'utf8' },
    );
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    const loaded = readFileSync(list, 'utf8').split('\n');
    expect(loaded).toContain('NativeModule fs');
    for (const name of ['crypto', 'child_process', 'readline'])
      expect(loaded, name).not.toContain(`NativeModule ${name}`);
  });
});
