import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ContentMatcher,
  gate,
  readPrivacyIdentifiers,
  scanPublishedFile,
  type PrivacyHit,
} from '../../src/images/privacy.js';
import { TarReader } from '../../src/images/tar.js';

let dir: string;
const longDir = `deep/${'d'.repeat(60)}/${'e'.repeat(60)}`;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cf-privacy-'));
  await mkdir(join(dir, 'tree', longDir), { recursive: true });
  await writeFile(join(dir, 'tree', longDir, 'home-of-jdoe.txt'), 'nothing here');
  await writeFile(join(dir, 'tree', 'passwd'), `root:x:0:0\n${'x'.repeat(5000)}jane@example.com\n`);
  // Real GNU tar archives in the three header styles crossflake must read.
  for (const format of ['ustar', 'gnu', 'pax']) {
    const members = format === 'ustar' ? ['passwd'] : ['passwd', longDir];
    execFileSync('tar', [
      '-C',
      join(dir, 'tree'),
      `--format=${format}`,
      '-cf',
      join(dir, `${format}.tar`),
      ...members,
    ]);
  }
  execFileSync('sh', ['-c', `gzip -n -c "${join(dir, 'pax.tar')}" > "${join(dir, 'pax.tar.gz')}"`]);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('TarReader on real GNU tar archives', () => {
  it.each(['gnu', 'pax'])('reads long member names (%s) and member bytes', async (format) => {
    const names: string[] = [];
    let passwd = '';
    const reader = new TarReader({
      entry: (name) => names.push(name),
      data: (name, chunk) => {
        if (name === 'passwd') passwd += chunk.toString('utf8');
      },
    });
    const bytes = await readFile(join(dir, `${format}.tar`));
    // Odd chunk sizes: headers and bodies straddle chunk boundaries.
    for (let i = 0; i < bytes.length; i += 777) reader.push(bytes.subarray(i, i + 777));
    expect(names).toContain(`${longDir}/home-of-jdoe.txt`);
    expect(passwd).toContain('jane@example.com');
  });
});

describe('privacy scanning', () => {
  it('finds identifiers in member names and contents of a gzipped tar, across chunk boundaries', async () => {
    const needles = {
      identifiers: ['jdoe', 'jane@example.com', 'absent'],
      localPaths: [],
      anyAbsolutePath: false,
    };
    const hits = await scanPublishedFile(join(dir, 'pax.tar.gz'), 'a.wsl', needles);
    expect(hits).toEqual(
      expect.arrayContaining([
        {
          artifact: 'a.wsl',
          where: 'member-name',
          path: `${longDir}/home-of-jdoe.txt`,
          kind: 'identifier',
          text: 'jdoe',
        },
        {
          artifact: 'a.wsl',
          where: 'member-content',
          path: 'passwd',
          kind: 'identifier',
          text: 'jane@example.com',
        },
      ]),
    );
    expect(hits.some((h) => h.text === 'absent')).toBe(false);
  });

  it('ContentMatcher sees an identifier split over two chunks', () => {
    const m = new ContentMatcher(['jane@example.com']);
    m.push(Buffer.from('....jane@exa'));
    m.push(Buffer.from('mple.com....'));
    expect(m.hits()).toEqual(['jane@example.com']);
  });

  it('--allow-identifier and --allow-unscanned let what they name through', () => {
    const hits: PrivacyHit[] = [
      {
        artifact: 'a',
        where: 'closure',
        path: '/nix/store/x/home/jdoe',
        kind: 'identifier',
        text: 'jdoe',
      },
      {
        artifact: 'a',
        where: 'closure',
        path: '/nix/store/x/jane',
        kind: 'identifier',
        text: 'jane',
      },
      { artifact: 'd.qcow2', where: 'file', path: '', kind: 'unscanned', text: 'qcow2 disk image' },
      { artifact: 'e.iso', where: 'file', path: '', kind: 'unscanned', text: 'ISO 9660 image' },
    ];
    const { blocking } = gate(hits, { identifiers: ['jdoe'], unscanned: ['d.qcow2'] });
    expect(blocking.map((h) => h.text)).toEqual(['jane', 'ISO 9660 image']);
  });

  it('reads privacy.identifiers from crossflake.json and names the file on bad input', async () => {
    const root = join(dir, 'repo');
    await mkdir(root, { recursive: true });
    expect(await readPrivacyIdentifiers(root)).toEqual([]);
    await writeFile(
      join(root, 'crossflake.json'),
      JSON.stringify({ privacy: { identifiers: ['jdoe'] }, ci: {} }),
    );
    expect(await readPrivacyIdentifiers(root)).toEqual(['jdoe']);
    await writeFile(
      join(root, 'crossflake.json'),
      JSON.stringify({ privacy: { identifiers: 'jdoe' } }),
    );
    await expect(readPrivacyIdentifiers(root)).rejects.toThrow(
      /crossflake\.json: privacy\.identifiers must be a list/,
    );
  });
});
