// The privacy gate on every published file (src/images/privacy-scan.ts):
// tarballs compressed with gzip, xz, zstd and bzip2 (made by the real tools),
// a tar inside a tar, secrets, this machine's paths, and containers the gate
// cannot read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { absolutePaths, scanPublishedFile, type Needles } from '../../src/images/privacy-scan.js';

let dir: string;
// Built at run time: no live-looking key is written in this file.
const stripe = ['sk', '_live_', 'x9K2mQ7vB4nR8tW1'.repeat(3)].join('');
const needles = (n: Partial<Needles> = {}): Needles => ({
  identifiers: [],
  localPaths: [],
  anyAbsolutePath: false,
  ...n,
});

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cf-gate-'));
  const tree = join(dir, 'tree');
  await mkdir(join(tree, 'etc'), { recursive: true });
  await writeFile(join(tree, 'etc/billing.conf'), `# billing\nmode = live\nkey ${stripe}\n`);
  await writeFile(join(tree, 'etc/motd'), 'hello\n');
  execFileSync('tar', ['-C', tree, '--format=gnu', '-cf', join(dir, 'image.tar'), '.']);
  for (const [tool, ext] of [
    ['gzip', 'gz'],
    ['xz', 'xz'],
    ['zstd', 'zst'],
    ['bzip2', 'bz2'],
  ] as const) {
    const bytes = execFileSync(tool, ['-c', join(dir, 'image.tar')], { maxBuffer: 1 << 26 });
    await writeFile(join(dir, `image.tar.${ext}`), bytes);
  }
  // A docker-style image: the layer is a tar inside the outer tar.
  const outer = join(dir, 'outer');
  await mkdir(join(outer, 'abc123'), { recursive: true });
  execFileSync('cp', [join(dir, 'image.tar'), join(outer, 'abc123', 'layer.tar')]);
  await writeFile(join(outer, 'manifest.json'), '[{"Layers":["abc123/layer.tar"]}]\n');
  execFileSync('tar', ['-C', outer, '-czf', join(dir, 'docker.tar.gz'), '.']);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('the gate reads compressed tarballs and finds the secret in a member, masked', () => {
  for (const ext of ['tar', 'tar.gz', 'tar.xz', 'tar.zst', 'tar.bz2']) {
    it(ext, async () => {
      const hits = await scanPublishedFile(join(dir, `image.${ext}`), `image.${ext}`, needles());
      expect(hits).toEqual([
        {
          artifact: `image.${ext}`,
          where: 'member-content',
          path: './etc/billing.conf',
          kind: 'secret',
          text: '<Stripe secret key, 56 chars, masked>',
          line: 3,
        },
      ]);
    });
  }

  it('a tar inside a tar (a docker layer) is read member by member', async () => {
    const hits = await scanPublishedFile(join(dir, 'docker.tar.gz'), 'd.tar.gz', needles());
    expect(hits.map((h) => [h.kind, h.path])).toEqual([
      ['secret', './abc123/layer.tar/./etc/billing.conf'],
    ]);
  });
});

describe('what the gate cannot read is reported, never passed', () => {
  it('disk images and archives it does not know, by their magic bytes', async () => {
    const qcow2 = Buffer.concat([Buffer.from('QFI\xfb', 'latin1'), Buffer.alloc(4096)]);
    const iso = Buffer.alloc(0x9000);
    iso.write('CD001', 0x8001, 'latin1');
    const zip = Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(100)]);
    for (const [name, bytes, format] of [
      ['d.qcow2', qcow2, 'qcow2 disk image'],
      ['d.iso', iso, 'ISO 9660 image'],
      ['d.zip', zip, 'zip archive'],
    ] as const) {
      await writeFile(join(dir, name), bytes);
      expect(await scanPublishedFile(join(dir, name), name, needles())).toEqual([
        { artifact: name, where: 'file', path: '', kind: 'unscanned', text: format },
      ]);
    }
  });

  it('a corrupt .tar.xz', async () => {
    const good = execFileSync('xz', ['-c', join(dir, 'image.tar')]);
    await writeFile(join(dir, 'bad.tar.xz'), good.subarray(0, Math.floor(good.length / 2)));
    const [hit] = await scanPublishedFile(join(dir, 'bad.tar.xz'), 'bad.tar.xz', needles());
    expect(hit).toMatchObject({ kind: 'unscanned', text: expect.stringMatching(/^xz -d failed/) });
  });

  it('a compressor that is not installed', async () => {
    const path = process.env.PATH;
    process.env.PATH = join(dir, 'no-tools-here');
    try {
      const [hit] = await scanPublishedFile(join(dir, 'image.tar.zst'), 'i.tar.zst', needles());
      expect(hit).toMatchObject({ kind: 'unscanned', text: 'zstd is not installed' });
    } finally {
      process.env.PATH = path;
    }
  });
});

describe('absolute local paths', () => {
  it('in a manifest, any absolute path outside /nix/store is one (the flake path once was)', async () => {
    const manifest = JSON.stringify({
      flake: 'path:/home/jdoe/src/team-config',
      other: 'git+file:///Users/jdoe/team',
      url: 'https://github.com/team/config/releases',
      ref: 'github:team/config',
      outPath: '/nix/store/0123456789abcdfghijklmnpqrsvwxyz-demo',
      win: 'C:\\Users\\jdoe\\team',
    });
    expect(absolutePaths(manifest)).toEqual([
      '/home/jdoe/src/team-config',
      '/Users/jdoe/team',
      'C:\\\\Users\\\\jdoe', // as JSON writes it
    ]);
    await writeFile(join(dir, 'manifest.json'), manifest);
    const hits = await scanPublishedFile(
      join(dir, 'manifest.json'),
      'manifest.json',
      needles({ anyAbsolutePath: true }),
    );
    expect(hits.map((h) => [h.kind, h.where, h.text])).toEqual([
      ['local-path', 'file', '/home/jdoe/src/team-config'],
      ['local-path', 'file', '/Users/jdoe/team'],
      ['local-path', 'file', 'C:\\\\Users\\\\jdoe'],
    ]);
  });

  it("in an image, this machine's own paths (the repository) are found in names and contents", async () => {
    const repo = join(dir, 'repo-of-this-machine');
    const tree = join(dir, 'tree2');
    await mkdir(join(tree, 'etc'), { recursive: true });
    await writeFile(join(tree, 'etc/profile'), `export CFG=${repo}/hosts\n`);
    execFileSync('tar', ['-C', tree, '-czf', join(dir, 'img2.tar.gz'), '.']);
    const hits = await scanPublishedFile(
      join(dir, 'img2.tar.gz'),
      'img2.tar.gz',
      needles({ localPaths: [repo] }),
    );
    expect(hits).toEqual([
      {
        artifact: 'img2.tar.gz',
        where: 'member-content',
        path: './etc/profile',
        kind: 'local-path',
        text: repo,
      },
    ]);
  });
});

describe('secrets across window boundaries', () => {
  it('a secret straddling the 1 MiB scan window is found once, on its line', async () => {
    const filler = `${'a'.repeat(99)}\n`.repeat(10485); // 1,048,500 bytes
    const text = `${filler}${'b'.repeat(60)} key ${stripe}\nend\n`;
    await writeFile(join(dir, 'big.txt'), text);
    const hits = await scanPublishedFile(join(dir, 'big.txt'), 'big.txt', needles());
    expect(hits).toEqual([
      {
        artifact: 'big.txt',
        where: 'file',
        path: '',
        kind: 'secret',
        text: '<Stripe secret key, 56 chars, masked>',
        line: 10486,
      },
    ]);
  });
});
