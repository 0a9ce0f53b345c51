import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { Ajv2020 as Ajv } from 'ajv/dist/2020.js';
import { matchRow, platformRows } from '../../src/platforms/index.js';
import { recordedFacts } from '../helpers/facts.js';

const schema = JSON.parse(readFileSync('data/platforms.schema.json', 'utf8')) as object;
const data = JSON.parse(readFileSync('data/platforms.json', 'utf8')) as { rows: { id: string }[] };

describe('data/platforms.json', () => {
  it('validates against its JSON Schema', () => {
    const validate = new Ajv({ strict: true, allowUnionTypes: true }).compile(schema);
    const ok = validate(data);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('the schema rejects a row without a Nix system', () => {
    const validate = new Ajv({ strict: true }).compile(schema);
    const broken = structuredClone(data) as { rows: Record<string, unknown>[] };
    delete broken.rows[0]!.nixSystem;
    expect(validate(broken)).toBe(false);
  });

  it('has the five required rows with their systems and hosted runners', () => {
    const byId = Object.fromEntries(platformRows.map((r) => [r.id, r]));
    expect(byId['linux-x86_64']?.runner?.label).toBe('ubuntu-24.04');
    expect(byId['linux-aarch64']?.runner).toEqual({ label: 'ubuntu-24.04-arm', kvm: false });
    expect(byId['wsl2-x86_64']?.nixSystem).toBe('x86_64-linux');
    expect(byId['darwin-aarch64']?.runner?.label).toBe('macos-15');
    expect(byId['darwin-x86_64']?.runner?.label).toBe('macos-15-intel');
    expect(byId['darwin-x86_64']?.endOfSupport?.nixpkgs).toBe('26.05');
  });

  it('uses no retired runner label', () => {
    expect(platformRows.map((r) => r.runner?.label)).not.toContain('macos-13');
  });

  it('row ids are unique', () => {
    expect(new Set(data.rows.map((r) => r.id)).size).toBe(data.rows.length);
  });
});

describe('matching a host to its row', () => {
  it.each([
    ['linux-x86_64', 'linux-x86_64'],
    ['linux-aarch64', 'linux-aarch64'],
    ['wsl2-x86_64', 'wsl2-x86_64'],
    ['wsl2-aarch64', 'wsl2-aarch64'],
    ['darwin-aarch64', 'darwin-aarch64'],
    ['darwin-x86_64', 'darwin-x86_64'],
    ['windows-native', 'wsl2-x86_64'],
    ['broken-rosetta', 'darwin-aarch64'],
  ])('recorded %s matches row %s', (fixture, row) => {
    expect(matchRow(recordedFacts(fixture)).row?.id).toBe(row);
  });

  it('WSL1 matches no row and says why', () => {
    const m = matchRow(recordedFacts('broken-wsl1'));
    expect(m.row).toBeNull();
    expect(m.reason).toMatch(/WSL1/);
  });

  it('an unsupported CPU matches no row', () => {
    const facts = recordedFacts('linux-x86_64');
    facts.os.arch = 'other';
    facts.os.nodeArch = 'riscv64';
    expect(matchRow(facts).row).toBeNull();
  });
});
