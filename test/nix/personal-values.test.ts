import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { formatFindings, scanText } from './personal-values.js';
import { repoRoot, walkFiles } from './helpers.js';

// Everything shareable: the flake's Nix code and, once the templates feature
// lands, every file of every template.
const scanned = [
  'flake.nix',
  // nix/checks/samples are the templates rendered with their samples' made-up
  // people (template.json `samples`): user names by design. The templates
  // they come from are scanned below.
  ...walkFiles(
    'nix',
    (file) => !path.relative(repoRoot, file).startsWith(path.join('nix', 'checks', 'samples')),
  ),
  ...(existsSync(path.join(repoRoot, 'templates')) ? walkFiles('templates', () => true) : []),
];

describe('no personal values in shareable code', () => {
  it('scans the flake and the Nix tree', () => {
    expect(scanned).toContain('nix/modules/home/base.nix');
    expect(scanned.length).toBeGreaterThan(20);
  });

  it('nix/ and templates/ contain no e-mail, home path or user name', () => {
    const findings = scanned.flatMap((file) =>
      scanText(file, readFileSync(path.join(repoRoot, file), 'utf8')),
    );
    expect(formatFindings(findings)).toBe('');
  });
});

describe('the scanner catches each kind of leak (recorded from FIELD-NOTES.md)', () => {
  const cases: [string, string, string][] = [
    ['e-mail address', 'userEmail = "jane.doe@corp.io";', 'jane.doe@corp.io'],
    ['Windows home path', 'src = "/mnt/c/Users/JaneD/Documents";', '/mnt/c/Users/JaneD'],
    ['Windows home path', 'p = "C:\\\\Users\\\\JaneD\\\\x";', 'C:\\\\Users\\\\JaneD'],
    ['home directory', 'PATH = "/home/jdoe/.nix-profile/bin";', '/home/jdoe'],
    ['home directory', 'home = "/Users/jdoe";', '/Users/jdoe'],
    ['user name', 'wsl.defaultUser = "jdoe";', 'defaultUser = "jdoe"'],
    ['user name', 'programs.git.settings.user.name = "Jane Doe";', 'user.name = "Jane Doe"'],
    ['user account', 'users.users.jdoe = { isNormalUser = true; };', 'users.users.jdoe ='],
  ];

  it.each(cases)('%s in %j', (kind, line, text) => {
    const findings = scanText('x.nix', `# first line\n${line}\n`);
    expect(findings).toEqual([{ file: 'x.nix', line: 2, kind, text }]);
  });

  it.each([
    'wsl.defaultUser = "nixos";',
    'email = "team@example.com";',
    'url = "git@github.com:org/repo";',
    'home = "/Users/${cfg.user.name}";',
    'home.homeDirectory = "/home/${user}";',
    'imports = [ ./nix/modules/home/base.nix ];',
    'users.users.${cfg.user.name} = { };',
    'name = "crossflake-${name}";',
    'pkgs.writeShellScriptBin "winhome" "wslvar USERPROFILE"',
  ])('leaves generic or computed values alone: %j', (line) => {
    expect(scanText('x.nix', line)).toEqual([]);
  });
});
