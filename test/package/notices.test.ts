// scripts/notices.mjs on made-up package folders: which packages a
// metafile's inputs name, and a bundled package without a licence file
// stops the build instead of shipping without its notice.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain .mjs build script without type declarations
import * as notices from '../../scripts/notices.mjs';

interface Notice {
  name: string;
  version: string;
  license: string;
  texts: { file: string; text: string }[];
}
const { bundledPackageDirs, packageNotice, renderNotices } = notices as {
  bundledPackageDirs: (m: { inputs: Record<string, unknown> }) => string[];
  packageNotice: (dir: string) => Notice;
  renderNotices: (p: { name: string; version: string }, n: Notice[]) => string;
};

const tmp = mkdtempSync(path.join(os.tmpdir(), 'crossflake-notices-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function pkg(name: string, files: Record<string, string>): string {
  const dir = path.join(tmp, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({ name, version: '1.2.3', license: 'MIT' }),
  );
  for (const [file, text] of Object.entries(files)) writeFileSync(path.join(dir, file), text);
  return dir;
}

describe('THIRD-PARTY-NOTICES from the metafile', () => {
  it('names each package once: scoped, nested under another, and not our own sources', () => {
    const inputs = {
      'src/main.ts': {},
      'node_modules/ajv/dist/ajv.js': {},
      'node_modules/ajv/dist/core.js': {},
      'node_modules/@scope/pkg/index.js': {},
      'node_modules/a/node_modules/b/lib/x.js': {},
      '../elsewhere/node_modules/yaml/dist/index.js': {},
    };
    expect(bundledPackageDirs({ inputs })).toEqual([
      '../elsewhere/node_modules/yaml',
      'node_modules/@scope/pkg',
      'node_modules/a/node_modules/b',
      'node_modules/ajv',
    ]);
  });

  it('carries every licence file of a package, verbatim, under its name and version', () => {
    const dir = pkg('with-licence', {
      LICENSE: 'Licence text.\n',
      'NOTICE.md': 'Notice text.\n',
      'README.md': 'no',
    });
    const n = packageNotice(dir);
    expect(n.texts.map((t) => t.file)).toEqual(['LICENSE', 'NOTICE.md']);
    const text = renderNotices({ name: 'crossflake', version: '0.1.0' }, [n]);
    expect(text).toContain('\nwith-licence 1.2.3 (MIT)\n--- LICENSE\n\nLicence text.\n');
    expect(text).toContain('Notice text.');
    expect(text).not.toContain('\nno\n');
  });

  it('a bundled package without a licence file stops the build, naming it', () => {
    const dir = pkg('no-licence', { 'index.js': '' });
    expect(() => packageNotice(dir)).toThrow(
      /^no-licence is bundled into dist\/ but has no LICENSE/,
    );
  });
});
