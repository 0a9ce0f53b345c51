import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { uuidV5Utf16, TERMINAL_PROFILE_NAMESPACE } from '../../src/onboard/uuid.js';
import {
  crossflakeProfileGuid,
  fragmentDir,
  fragmentFileName,
  fragmentNamespace,
  generatedProfileGuid,
  parseRegLxss,
  renderFragment,
} from '../../src/onboard/terminal.js';
import { removeOrphanFragments, writeFragment } from '../../src/onboard/terminal-files.js';

/** RFC 9562 section 5.5, written out independently of the code under test. */
function rfcV5(namespace: string, nameBytes: Buffer): string {
  const ns = Buffer.from(namespace.replace(/[{}-]/g, ''), 'hex');
  const h = createHash('sha1')
    .update(Buffer.concat([ns, nameBytes]))
    .digest();
  const b = Buffer.from(h.subarray(0, 16));
  b[6] = (b[6]! & 0x0f) | 0x50; // version 5 in the high nibble of octet 6
  b[8] = (b[8]! & 0x3f) | 0x80; // variant 10xx in octet 8
  const x = b.toString('hex');
  return [x.slice(0, 8), x.slice(8, 12), x.slice(12, 16), x.slice(16, 20), x.slice(20)].join('-');
}
const utf16 = (s: string) => Buffer.from(s, 'utf16le');

describe('Windows Terminal profile GUIDs (UUIDv5 over UTF-16LE)', () => {
  it('match GUIDs published in microsoft/terminal for the WSL generator and defaults', () => {
    // WslDistroGenerator.cpp lists Debian and Ubuntu; CascadiaSettingsSerialization
    // has DEFAULT_WINDOWS_POWERSHELL_GUID. All are v5(namespace, name) over UTF-16LE.
    expect(generatedProfileGuid('Ubuntu')).toBe('{2c4de342-38b7-51cf-b940-2309a097f518}');
    expect(generatedProfileGuid('Debian')).toBe('{58ad8b0c-3ef8-5f4d-bc6f-13e4c00f2530}');
    expect(generatedProfileGuid('Alpine')).toBe('{1777cdf0-b2c4-5a63-a204-eb60f349ea7c}');
    expect(generatedProfileGuid('Windows PowerShell')).toBe(
      '{61c54bbd-c2c6-5271-96e7-009a87ff44bf}',
    );
  });

  it('equal the RFC 9562 definition computed independently, and differ from UTF-8', () => {
    for (const name of ['NixOS', 'Ubuntu-24.04', 'company-nixos', 'ÄÖÜ distro']) {
      const expected = rfcV5('2bde4a90-d05f-401c-9492-e40884ead1d8', utf16(name));
      expect(uuidV5Utf16(TERMINAL_PROFILE_NAMESPACE, name)).toBe(expected);
      expect(expected).not.toBe(
        rfcV5('2bde4a90-d05f-401c-9492-e40884ead1d8', Buffer.from(name, 'utf8')),
      );
    }
  });

  it("derive our fragment's namespace and the profile GUID from the registry GUID", () => {
    const appNs = rfcV5('f65ddb7e-706b-4499-8a50-40313caf510a', utf16('crossflake'));
    expect(fragmentNamespace('crossflake')).toBe(appNs);
    const registry = '{C8866159-54F9-44C5-B1AA-121D20AA440B}';
    expect(crossflakeProfileGuid(registry)).toBe(
      `{${rfcV5(appNs, utf16('{c8866159-54f9-44c5-b1aa-121d20aa440b}'))}}`,
    );
    expect(crossflakeProfileGuid(registry)).not.toBe(
      crossflakeProfileGuid('{0283592d-be56-40d4-b935-3fc18c3aa007}'),
    );
  });
});

describe('Terminal fragments', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'crossflake-fragments-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads registered distros from a recorded reg query', () => {
    const text = readFileSync('test/fixtures/onboard/reg-query-lxss.txt', 'latin1');
    expect(parseRegLxss(text)).toEqual([
      { name: 'Ubuntu-24.04', guid: '{0283592d-be56-40d4-b935-3fc18c3aa007}' },
      { name: 'NixOS', guid: '{c8866159-54f9-44c5-b1aa-121d20aa440b}' },
    ]);
  });

  it('lives in Fragments\\crossflake under LOCALAPPDATA', () => {
    expect(fragmentDir('C:\\Users\\ada\\AppData\\Local')).toBe(
      'C:\\Users\\ada\\AppData\\Local\\Microsoft\\Windows Terminal\\Fragments\\crossflake',
    );
  });

  it('hides the generated profile and adds a marked one with the computed GUID', async () => {
    const distro = { name: 'NixOS', guid: '{c8866159-54f9-44c5-b1aa-121d20aa440b}' };
    const file = await writeFragment(dir, distro, 'C:\\Windows\\System32\\wsl.exe', '0.1.0');
    expect(file).toBe(join(dir, fragmentFileName(distro.guid)));
    const written = JSON.parse(readFileSync(file, 'utf8')) as ReturnType<typeof renderFragment>;
    expect(written.crossflake.distroGuid).toBe(distro.guid);
    expect(written.profiles[0]).toEqual({ updates: generatedProfileGuid('NixOS'), hidden: true });
    expect(written.profiles[1]).toMatchObject({
      guid: crossflakeProfileGuid(distro.guid),
      name: 'NixOS',
      commandline: 'C:\\Windows\\System32\\wsl.exe -d NixOS --cd ~',
    });
  });

  it('removes only its own fragments whose distro is gone', async () => {
    const gone = { name: 'Old', guid: '{11111111-2222-4333-8444-555555555555}' };
    const live = { name: 'NixOS', guid: '{c8866159-54f9-44c5-b1aa-121d20aa440b}' };
    await writeFragment(dir, gone, 'wsl.exe', '0.1.0');
    await writeFragment(dir, live, 'wsl.exe', '0.1.0');
    const foreign = {
      profiles: [{ name: 'Someone else', guid: '{aaaaaaaa-2222-4333-8444-555555555555}' }],
    };
    writeFileSync(join(dir, 'user-written.json'), JSON.stringify(foreign));
    writeFileSync(join(dir, 'broken.json'), '{ not json');
    const removed = await removeOrphanFragments(dir, [live]);
    expect(removed).toEqual([fragmentFileName(gone.guid)]);
    expect(readdirSync(dir).sort()).toEqual(
      ['broken.json', fragmentFileName(live.guid), 'user-written.json'].sort(),
    );
  });
});
