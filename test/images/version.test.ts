import { describe, expect, it } from 'vitest';
import { chooseVersion, compareVersionStrings, nextCalver } from '../../src/images/version.js';

const now = new Date('2026-11-27T04:00:00Z');

describe('versions', () => {
  it('CalVer YYYY.MM, then .1, .2 once the month has releases', () => {
    expect(nextCalver(now, [])).toBe('2026.11');
    expect(nextCalver(now, ['2026.10', '2026.11'])).toBe('2026.11.1');
    expect(nextCalver(now, ['2026.11', '2026.11.1'])).toBe('2026.11.2');
    expect(nextCalver(new Date('2027-01-01T00:00:00Z'), ['2026.11'])).toBe('2027.01');
  });

  it('a VERSION file (semver) wins over CalVer; a bad one is refused', () => {
    expect(chooseVersion({ now, versionFile: '1.4.0\n', released: [] })).toEqual({
      version: '1.4.0',
      source: 'VERSION',
    });
    expect(chooseVersion({ now, versionFile: 'v2.0.0-rc.1', released: [] }).version).toBe(
      '2.0.0-rc.1',
    );
    expect(() => chooseVersion({ now, versionFile: 'next', released: [] })).toThrow(
      /VERSION: 'next' is not a semantic version/,
    );
  });

  it('--version overrides, but must be a plain name', () => {
    expect(
      chooseVersion({ now, versionFile: '1.0.0', released: [], override: '9.9.9' }).source,
    ).toBe('override');
    expect(() => chooseVersion({ now, versionFile: null, released: [], override: '../x' })).toThrow(
      /not a valid version/,
    );
  });

  it('orders CalVer and semver numerically', () => {
    const sorted = ['2026.11.1', '2026.9', '2026.11', '2026.10'].sort(compareVersionStrings);
    expect(sorted).toEqual(['2026.9', '2026.10', '2026.11', '2026.11.1']);
  });
});
