import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/command.js';
import { artifactFileName, parseImageMatrix, selectImages } from '../../src/images/matrix.js';

const good = {
  name: 'company-nixos',
  format: 'wsl',
  system: 'x86_64-linux',
  attr: 'packages.x86_64-linux.company-nixos-wsl',
  kind: 'root-program',
  file: null,
  extension: 'wsl',
};

describe('parseImageMatrix', () => {
  it('accepts the shape of crossflake.images and names artifacts as the issue says', () => {
    const [image] = parseImageMatrix([good]);
    expect(artifactFileName(image!, '2026.11')).toBe('company-nixos-wsl-x86_64-linux-2026.11.wsl');
  });

  it.each([
    [{ file: '../etc/passwd' }, /relative path inside the build output/],
    [{ file: '/etc/passwd' }, /relative path/],
    [{ name: 'a/b' }, /not a safe file name/],
    [{ name: '$(rm -rf ~)' }, /not a safe file name/],
    [{ kind: 'vm' }, /kind must be/],
    [{ system: 'linux' }, /not a Nix system/],
    [{ attr: 'packages..x' }, /bad attr/],
    [{ extension: 'tar gz' }, /bad extension/],
    [{ format: undefined }, /'format' must be a non-empty string/],
  ])('refuses %j', (patch, message) => {
    expect(() => parseImageMatrix([{ ...good, ...patch }], 'flake#crossflake.images')).toThrow(
      message,
    );
  });

  it('names the entry and refuses duplicates and non-lists', () => {
    expect(() => parseImageMatrix([good, { ...good, name: 'x y' }], 'm')).toThrow(/^m\[1\]/);
    expect(() => parseImageMatrix([good, good])).toThrow(/listed twice/);
    expect(() => parseImageMatrix({})).toThrow(UserError);
  });
});

describe('selectImages (--only)', () => {
  const images = parseImageMatrix([
    good,
    {
      ...good,
      format: 'qcow2',
      kind: 'derivation',
      file: 'nixos.qcow2',
      extension: 'qcow2',
      attr: 'p.q',
    },
    {
      ...good,
      format: 'qcow2',
      system: 'aarch64-linux',
      kind: 'derivation',
      extension: 'qcow2',
      attr: 'p.r',
    },
  ]);

  it('matches by name, format or system: one kind adds up, kinds narrow each other', () => {
    expect(selectImages(images, ['qcow2'])).toHaveLength(2);
    expect(selectImages(images, ['wsl', 'qcow2'])).toHaveLength(3);
    const one = selectImages(images, ['qcow2', 'x86_64-linux']);
    expect(one.map((i) => [i.format, i.system])).toEqual([['qcow2', 'x86_64-linux']]);
    expect(selectImages(images, ['qcow2', 'aarch64-linux', 'x86_64-linux'])).toHaveLength(2);
    expect(selectImages(images, [])).toHaveLength(3);
  });

  it('kinds that no image has together are refused, naming the images', () => {
    expect(() => selectImages(images, ['aarch64-linux', 'wsl'])).toThrow(
      /no image is all of these.*company-nixos-wsl-x86_64-linux/,
    );
  });

  it('refuses a value that matches nothing and lists the images', () => {
    expect(() => selectImages(images, ['vmware'])).toThrow(
      /--only vmware.*company-nixos-wsl-x86_64-linux/,
    );
  });
});
