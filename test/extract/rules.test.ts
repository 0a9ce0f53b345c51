import { describe, expect, it } from 'vitest';
import { byContent } from '../../src/extract/classes.js';
import { FileContext, Positions, type RepoFacts } from '../../src/extract/context.js';
import { identifierFacts } from '../../src/extract/identifiers.js';
import type { Evidence, Identifiers } from '../../src/extract/model.js';
import { RULES, type Rule } from '../../src/extract/rules/index.js';
import { parseNix } from '../../src/nixlang/index.js';

const NO_IDS: Identifiers = {
  users: [],
  hosts: [],
  emails: [],
  domains: [],
  names: [],
  extra: [],
};

function run(
  ruleId: string,
  source: string,
  opts: { path?: string; ids?: Partial<Identifiers>; moduleTarget?: boolean } = {},
): Evidence[] {
  const rule = RULES.find((r) => r.id === ruleId) as Rule;
  const path = opts.path ?? 'm.nix';
  const repo: RepoFacts = {
    identifiers: { ...NO_IDS, ...opts.ids },
    moduleTargets: new Set(opts.moduleTarget ? [path] : []),
    exports: [],
  };
  return rule.check(
    new FileContext({ path, bytes: source.length, tree: parseNix(source, { check: false }) }, repo),
  );
}

describe('rule: secrets', () => {
  it('finds a plaintext psk, password and hashedPassword, and masks the value', () => {
    const src =
      '{ networking.wireless.networks.Home.psk = "hunter2hunter2";\n  users.users.a.hashedPassword = "$6$abcdefgh$xyz";\n  services.x.password = "pw"; }';
    const ev = run('secrets', src);
    expect(ev.map((e) => e.line)).toEqual(expect.arrayContaining([1, 2, 3]));
    expect(ev.find((e) => e.line === 1)?.text).toBe(
      'networking.wireless.networks.Home.psk = <plaintext, 14 chars, masked>',
    );
    for (const e of ev) {
      expect(e.text).not.toContain('hunter2');
      expect(e.text).not.toContain('abcdefgh');
    }
  });

  it('finds tokens and key blocks anywhere, comments included', () => {
    const src = [
      '# old token: ghp_Abcdefghijklmnopqrstuvwxyz0123456789',
      '{ a = "xoxb-1234567890-abcdefghij"; b = "AKIAABCDEFGHIJKLMNOP";',
      "  k = ''",
      '    -----BEGIN OPENSSH PRIVATE KEY-----',
      '  \'\'; c = "AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ"; }',
    ].join('\n');
    const kinds = run('secrets', src).map((e) => e.text);
    expect(kinds).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^<GitHub token/),
        expect.stringMatching(/^<Slack token/),
        expect.stringMatching(/^<AWS access key/),
        expect.stringMatching(/^<private key block/),
        expect.stringMatching(/^<age secret key/),
      ]),
    );
    expect(kinds.join(' ')).not.toMatch(/ghp_A|xoxb-1|AKIAAB|QQQQ/);
  });

  it('sops/age declarations and key paths are references (issue 20), not secret material', () => {
    const src =
      '{ config, ... }: { sops.secrets.wifi = { }; users.users.a.hashedPasswordFile = config.sops.secrets.pw.path; }';
    expect(run('secrets', src)).toEqual([]);
    const refs = run('secret-references', src);
    expect(refs.map((e) => [e.signal, e.text])).toEqual([
      ['reference', 'uses secrets (reference): secret wifi'],
      ['reference', 'uses secrets (reference): users.users.a.hashedPasswordFile'],
      ['reference', 'uses secrets (reference): config.sops.secrets.pw.path'],
    ]);
    // The secret's name becomes a parameter.
    expect(refs[0]).toMatchObject({ option: 'crossflake.personal.sopsSecrets', value: 'wifi' });
    expect(
      run(
        'secret-references',
        '{ programs.git.enable = true; services.openssh.settings.PasswordAuthentication = false; }',
      ),
    ).toEqual([]);
  });

  it('secret file options, /run/secrets paths and agenix .age files are references with their paths as parameters', () => {
    const ev = run('secret-references', '{ services.tailscale.authKeyFile = "/run/secrets/ts"; }');
    expect(ev.map((e) => e.text)).toEqual([
      'uses secrets (reference): services.tailscale.authKeyFile',
      'uses secrets (reference): /run/secrets/ts',
    ]);
    expect(ev[0]).toMatchObject({
      option: 'crossflake.personal.authKeyFile',
      value: '/run/secrets/ts',
    });
    expect(run('secret-references', '{ "wifi.age".publicKeys = [ ]; }')[0]?.text).toBe(
      'uses secrets (reference): wifi.age',
    );
    const age = run(
      'secret-references',
      '{ age.secrets.tok.file = ../secrets/tok.age; age.identityPaths = [ "/etc/ssh/k" ]; }',
    );
    expect(age.map((e) => e.value)).toEqual(expect.arrayContaining(['tok', '../secrets/tok.age']));
    // A WSL adapter's key path (`sopsNix.hostKeyPath`-like options).
    expect(
      run('secret-references', '{ sopsNix.hostKeyPath = "/etc/sops/age.key"; }')[0],
    ).toMatchObject({ signal: 'reference', value: '/etc/sops/age.key' });
    // Declaring such an option: its default is already a parameter.
    const declared = run(
      'secret-references',
      '{ lib, ... }: { options.x.keyPath = lib.mkOption { default = "/k"; }; }',
    );
    expect(declared).toHaveLength(1);
    expect(declared[0]!.value).toBeUndefined();
    expect(
      run('secret-references', '{ services.nginx.virtualHosts.a.root = "/var/www"; }'),
    ).toEqual([]);
  });

  it('a well-known default password stays secret, saying so; a secret path inside a string is no plaintext', () => {
    const ev = run('secrets', '{ users.users.a.initialPassword = "nixos"; }');
    expect(ev.map((e) => e.text)).toEqual([
      'users.users.a.initialPassword = <plaintext, 5 chars, masked> (default password)',
    ]);
    expect(
      run(
        'secrets',
        '{ config, ... }: { x.admin_password = "$__file{${config.age.secrets.a.path}}"; x.password = "${config.sops.secrets.b.path}"; }',
      ),
    ).toEqual([]);
    const blob = run(
      'secrets',
      "{ environment.etc.p.text = ''\n  -----BEGIN AGE ENCRYPTED FILE-----\n  YWdl\n''; }",
    );
    expect(blob.map((e) => e.text)).toEqual(['<age-encrypted blob, masked>']);
  });

  it('finds secrets in environment variables and npm/GitLab tokens (found in the second held-out repo)', () => {
    const env = run(
      'secrets',
      '{ home.sessionVariables = { EDITOR = "nvim"; NPM_TOKEN = "abc"; OPENAI_API_KEY = "k"; DB_PASS = "p"; PASSTHROUGH = "x"; }; }',
    );
    expect(env.map((e) => e.text)).toEqual([
      'home.sessionVariables.NPM_TOKEN = <plaintext, 3 chars, masked>',
      'home.sessionVariables.OPENAI_API_KEY = <plaintext, 1 chars, masked>',
      'home.sessionVariables.DB_PASS = <plaintext, 1 chars, masked>',
    ]);
    const token = 'npm_' + 'Ab3'.repeat(12);
    const material = run('secrets', `{ x = "${token}"; y = "glpat-${'x1_'.repeat(7)}"; }`);
    expect(material.map((e) => e.text)).toEqual([
      '<npm token, 40 chars, masked>',
      '<GitLab token, 27 chars, masked>',
    ]);
    expect(run('secrets', '{ services.openssh.settings.PasswordAuthentication = false; }')).toEqual(
      [],
    );
  });
});

describe('rules after the beginner and snowfall held-out repos', () => {
  it('a WireGuard key inside a config text and a mail passwordCommand are secrets', () => {
    const key = 'A'.repeat(43) + '=';
    const wg = run(
      'secrets',
      `{ environment.etc."wg.conf".text = ''\n  PrivateKey = ${key}\n''; }`,
    );
    expect(wg.map((e) => e.text)).toEqual(['<WireGuard key, 57 chars, masked>']);
    expect(
      run(
        'secret-references',
        '{ accounts.email.accounts.a.passwordCommand = "pass show mail"; }',
      )[0]?.text,
    ).toBe('uses secrets (reference): accounts.email.accounts.a.passwordCommand');
  });

  it('a UUID is a host fact where devices are set up, not as a browser extension ID', () => {
    const uuid = '446900e4-71c2-419f-a6a7-df9c091e268b';
    expect(
      run('hardware', `{ programs.firefox.policies.ExtensionSettings."{${uuid}}".x = 1; }`),
    ).toEqual([]);
    expect(
      run('hardware', `{ boot.initrd.luks.devices.root.device = "/dev/mapper/${uuid}"; }`).length,
    ).toBeGreaterThan(0);
  });

  it('extension IDs are not e-mails, and known hosts keys are not personal', () => {
    const ids = run(
      'personal-identifiers',
      '{ programs.firefox.policies.ExtensionSettings."uBlock0@raymondhill.net".a = 1; programs.git.userEmail = "me@example.org"; }',
    );
    expect(ids.map((e) => e.text)).toEqual(['me@example.org']);
    const key = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl';
    expect(
      run('personal-identifiers', `{ programs.ssh.knownHosts.github.publicKey = "${key}"; }`),
    ).toEqual([]);
    expect(
      run('personal-identifiers', `{ users.users.a.openssh.authorizedKeys.keys = [ "${key}" ]; }`),
    ).toHaveLength(1);
  });
});

describe('rules after the servers and desktop held-out repos', () => {
  it('SQL passwords, passwords in URLs, passphrases and secret commands are secrets', () => {
    const texts = (src: string) => run('secrets', src).map((e) => e.text);
    expect(
      texts(`{ x.initialScript = "CREATE ROLE a WITH LOGIN PASSWORD 'tq8V-Hm2x';"; }`),
    ).toEqual(['<SQL password, 20 chars, masked>']);
    // secretlint's database-connection-string rule names the whole URL.
    expect(texts('{ x.url = "postgresql://app:s3cret-pw@db.lan/app"; }')).toEqual([
      '<database connection string with a password, 39 chars, masked>',
    ]);
    expect(texts('{ x.url = "redis://app:s3cret-pw@db.lan/0"; }')).toEqual([
      '<password in a URL, 22 chars, masked>',
    ]);
    expect(texts('{ services.borgbackup.jobs.a.encryption.passphrase = "horse"; }')).toEqual([
      'services.borgbackup.jobs.a.encryption.passphrase = <plaintext, 5 chars, masked>',
    ]);
    const refs = (src: string) => run('secret-references', src).map((e) => e.text);
    expect(refs('{ services.borgbackup.jobs.a.encryption.passCommand = "cat /root/p"; }')).toEqual([
      'uses secrets (reference): services.borgbackup.jobs.a.encryption.passCommand',
    ]);
    expect(refs('{ services.spotifyd.settings.global.password_cmd = "rbw get x"; }')).toEqual([
      'uses secrets (reference): services.spotifyd.settings.global.password_cmd',
    ]);
    expect(texts('{ nix.settings.substituters = [ "https://cache.nixos.org" ]; }')).toEqual([]);
  });

  it('display connectors are host facts; Linux-only home-manager modules are Linux markers', () => {
    const monitors = run(
      'hardware',
      '{ wayland.windowManager.hyprland.settings.monitor = [ "DP-1,2560x1440@144,0x0,1" "eDP-1,preferred,auto,1" ]; }',
    );
    expect(monitors.map((e) => e.text)).toEqual(['DP-1', 'eDP-1']);
    const markers = run(
      'platform-markers',
      '{ programs.waybar.enable = true; xdg.userDirs.enable = true; services.gnome-keyring.enable = true; programs.kitty.enable = true; }',
    );
    expect(markers.map((e) => `${e.platform} ${e.text}`)).toEqual([
      'linux programs.waybar.enable',
      'linux xdg.userDirs.enable',
      'linux services.gnome-keyring.enable',
    ]);
  });

  it('OpenPGP key IDs in signing settings are personal; a git rev is not; an ssh:// login is not an e-mail', () => {
    const ids = run(
      'personal-identifiers',
      '{ programs.git.signing.key = "0xFBFB19AFB760EF6A"; services.gpg-agent.sshKeys = [ "D575EE86ADB94922B451C23A84433F107F2E5B67" ]; inputs.x.rev = "5880666fd9eb563038431edb35c2d0aa595884e6"; }',
    );
    expect(ids.map((e) => e.text)).toEqual([
      '0xFBFB19AFB760EF6A',
      'D575EE86ADB94922B451C23A84433F107F2E5B67',
    ]);
    expect(
      run(
        'personal-identifiers',
        '{ services.borgbackup.jobs.a.repo = "ssh://u318204@u318204.your-storagebox.de:23/./b"; }',
      ),
    ).toEqual([]);
  });

  it("the person's domain is one value, not their user name inside it", () => {
    const ev = run(
      'personal-identifiers',
      '{ services.nginx.virtualHosts."blog.lucia-rivas.example".root = "/srv/blog"; }',
      {
        ids: { users: ['lucia'], domains: ['lucia-rivas.example'] },
      },
    );
    // The site is a domain of the person's too; her user name inside it is not reported.
    expect(ev.map((e) => `${e.text} ${e.option}`)).toEqual([
      'lucia-rivas.example crossflake.personal.domain',
      'blog.lucia-rivas.example crossflake.personal.domain',
    ]);
  });
});

describe('rules after the wsl and macos held-out repos', () => {
  it('secrets in script and INI texts, Keychain reads, netrc files and .npmrc tokens', () => {
    const texts = (src: string) => run('secrets', src).map((e) => e.text);
    expect(
      texts(
        "{ launchd.user.agents.b.script = ''\n  export RESTIC_PASSWORD='rde6wygVEF2VSB'\n  export AWS_SECRET_ACCESS_KEY=\"$(security find-generic-password -s b2 -w)\"\n''; }",
      ),
    ).toEqual([
      '<secret in a script or config text, 38 chars, masked>',
      '<Keychain secret read, 39 chars, masked>',
    ]);
    expect(
      texts('{ home.file.aws.text = "aws_secret_access_key = wJalrXUtnFEMIK7MDENG"; }'),
    ).toEqual(['<secret in a script or config text, 44 chars, masked>']);
    expect(texts('{ nix.settings.netrc-file = "/etc/nix/netrc"; }')).toEqual([]);
    expect(
      run('secret-references', '{ nix.settings.netrc-file = "/etc/nix/netrc"; }').map(
        (e) => e.text,
      ),
    ).toEqual(['uses secrets (reference): nix.settings.netrc-file']);
    expect(
      texts('{ home.file.npmrc.text = "//npm.corp.example/:_authToken=NpmToken.4f1c2d"; }'),
    ).toEqual(['<npm registry credential, 27 chars, masked>']);
    expect(
      texts(
        '{ environment.etc."app.yaml".text = \'\'\n  db:\n    password: Hx7-kq2Lm9\n  api_key = "sk-abc123456"\n\'\'; }',
      ),
    ).toEqual([
      '<secret in a script or config text, 20 chars, masked>',
      '<secret in a script or config text, 23 chars, masked>',
    ]);
    // Names that only contain a secret word, and values that are references.
    expect(
      texts(
        '{ services.x.settings = { PasswordAuthentication = false; token_ttl = "1h"; secretsFile = "/run/s"; }; }',
      ).filter((t) => t.includes('config text')),
    ).toEqual([]);
    // A reference to the variable, not a value.
    expect(
      texts("{ home.file.npmrc.text = ''\n  //registry/:_authToken=''${NPM_TOKEN}\n''; }"),
    ).toEqual([]);
  });

  it('a token in a URL is never printed as an e-mail; nix-darwin app services are darwin markers', () => {
    const ids = run(
      'personal-identifiers',
      '{ programs.git.settings.url."https://oauth2:glpat-AbcdefGhijklmnopQrst@gitlab.corp.example/".insteadOf = "https://gitlab.corp.example/"; }',
    );
    expect(ids).toEqual([]);
    const m = run(
      'platform-markers',
      '{ services.aerospace.enable = true; nix.linux-builder.enable = true; }',
    );
    expect(m.map((e) => `${e.platform} ${e.text}`)).toEqual([
      'darwin services.aerospace.enable',
      'darwin nix.linux-builder.enable',
    ]);
  });
});

describe('rule: personal-identifiers', () => {
  it('finds learned users, hosts and e-mails as whole words, with a suggested option', () => {
    const ev = run(
      'personal-identifiers',
      '{ a = "alice@example.org"; b = "malice"; c = "ssh to laptop"; }',
      {
        ids: { users: ['alice'], hosts: ['laptop'], emails: ['alice@example.org'] },
      },
    );
    const texts = ev.map((e) => e.text);
    expect(texts).toContain('alice@example.org');
    expect(texts).toContain('laptop');
    expect(texts.filter((t) => t === 'alice')).toHaveLength(1); // in the address, not in "malice"
    expect(ev.find((e) => e.text === 'alice@example.org')?.option).toBe('crossflake.user.email');
    expect(ev.find((e) => e.text === 'laptop')?.option).toBe('crossflake.host.name');
  });

  it('finds --identifier values and SSH public keys', () => {
    const ev = run(
      'personal-identifiers',
      '{ x = "corp-vpn-zed"; k = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFake"; }',
      { ids: { extra: ['zed'] } },
    );
    expect(ev.map((e) => e.option)).toEqual([
      'crossflake.personal.x',
      'crossflake.user.authorizedKeys',
    ]);
  });
});

describe('rule: home-paths', () => {
  it('finds /home/<u>, /Users/<u>, not relative paths, interpolations, placeholders or Windows homes', () => {
    const src =
      '{ a = "/home/bob/.nix-profile/bin"; b = /Users/bob/x; c = "/mnt/c/Users/Bob/AppData"; d = ./home/bob.nix; e = "/home/${u}/x"; f = "/Users/myuser"; }';
    const ev = run('home-paths', src);
    expect(ev.map((e) => e.text)).toEqual(['/home/bob', '/Users/bob']);
  });
});

describe('rule: hardware', () => {
  it('finds the generated file, fileSystems, UUIDs, MACs, interface names and USB serials', () => {
    expect(run('hardware', '{ }', { path: 'hosts/x/hardware-configuration.nix' })).toHaveLength(1);
    const src = [
      '{ fileSystems."/".device = "/dev/disk/by-uuid/3f1c2a9e-7b4d-4c1e-9a55-0d8e6f2b1c77";',
      '  networking.interfaces.enp3s0.macAddress = "3c:7c:3f:12:ab:cd";',
      "  services.udev.extraRules = ''ATTRS{serial}==\"0001A2B3\"''; }",
    ].join('\n');
    const texts = run('hardware', src).map((e) => e.text);
    expect(texts).toEqual(
      expect.arrayContaining([
        'fileSystems."/".device',
        '3c:7c:3f:12:ab:cd',
        'enp3s0',
        'ATTRS{serial}=="0001A2B3',
      ]),
    );
  });

  it('finds a UUID and a /dev/disk/by-* path in either case, behind the cheaper first tests', () => {
    const src = [
      '{ swapDevices = [ { device = "/dev/disk/by-uuid/3F1C2A9E-7B4D-4C1E-9A55-0D8E6F2B1C77"; } ];',
      '  boot.resumeDevice = "446900e4-71c2-419f-a6a7-df9c091e268b"; }',
    ].join('\n');
    const texts = run('hardware', src).map((e) => e.text);
    expect(texts).toEqual(
      expect.arrayContaining([
        '/dev/disk/by-uuid/3F1C2A9E-7B4D-4C1E-9A55-0D8E6F2B1C77',
        '3F1C2A9E-7B4D-4C1E-9A55-0D8E6F2B1C77',
        '446900e4-71c2-419f-a6a7-df9c091e268b',
      ]),
    );
    // Neither first test passes: no evidence, and no piece looked at.
    expect(run('hardware', '{ x = "3f1c2a9e-7b4d 4c1e-9a55"; y = "/dev/disk/"; }')).toEqual([]);
  });

  it('ignores a computed host name and generic settings', () => {
    expect(
      run(
        'hardware',
        '{ config, ... }: { networking.hostName = config.crossflake.host.name; programs.git.enable = true; }',
      ),
    ).toEqual([]);
  });
});

describe('rule: platform-markers', () => {
  it('tells wsl, darwin and linux options apart, also under wrappers', () => {
    const plat = (src: string): string[] => run('platform-markers', src).map((e) => e.platform!);
    expect(plat('{ wsl.enable = true; }')).toEqual(['wsl']);
    expect(plat('{ config = { system.defaults.dock.autohide = true; }; }')).toEqual(['darwin']);
    expect(plat('{ flake.modules.nixos.x = { boot.loader.grub.enable = false; }; }')).toEqual([
      'linux',
    ]);
    expect(plat('{ homebrew = { enable = true; casks = [ ]; }; }')).toEqual(['darwin']);
    expect(plat('{ programs.zsh.enable = true; }')).toEqual([]);
  });
});

describe('rule: not-a-module', () => {
  it('flags data imported or exported as a module, not a module or unimported data', () => {
    expect(
      run('not-a-module', '{ alice = "ssh-ed25519 AAAA"; }', { moduleTarget: true }),
    ).toHaveLength(1);
    expect(run('not-a-module', '{ pkgs, ... }: { }', { moduleTarget: true })).toEqual([]);
    expect(run('not-a-module', '{ services.x.enable = true; }', { moduleTarget: true })).toEqual(
      [],
    );
    expect(run('not-a-module', '{ alice = "x"; }')).toEqual([]);
  });
});

describe('byContent: the module class a file shows by its own settings', () => {
  const classOf = (source: string, path = 'm.nix') =>
    byContent(
      new FileContext(
        { path, bytes: source.length, tree: parseNix(source, { check: false }) },
        { identifiers: NO_IDS, moduleTargets: new Set(), exports: [] },
      ),
    );

  it('reads the first name of option paths (through config.) and of bound paths', () => {
    expect(classOf('{ perSystem = { pkgs, ... }: { }; }')).toBe('flake-parts');
    expect(classOf('{ flake = { nixosModules.x = { }; }; }')).toBe('flake-parts');
    expect(classOf('{ config = { home = { packages = [ ]; }; }; }')).toBe('home');
    expect(classOf('{ homebrew.enable = true; }')).toBe('darwin');
    expect(classOf('{ config.services.x.enable = true; }')).toBe('nixos');
    expect(classOf('{ users = { users.a = { }; }; }')).toBe('nixos');
    expect(classOf('{ programs.git.enable = true; }', 'hosts/a/git.nix')).toBe('nixos');
    // The names are bound, but never first.
    expect(classOf('{ programs.x = { services = 1; home = 2; flake = 3; }; }')).toBe('unknown');
  });
});

describe('identifierFacts: what a file says about its owner', () => {
  const facts = (source: string) =>
    identifierFacts(
      new FileContext(
        { path: 'm.nix', bytes: source.length, tree: parseNix(source, { check: false }) },
        { identifiers: NO_IDS, moduleTargets: new Set(), exports: [] },
      ),
    );

  it('reads accounts, service accounts and values however the sets nest', () => {
    const f = facts(
      [
        '{ users = { users = { alice = { isNormalUser = true; }; svc.isSystemUser = true; }; };',
        '  config.services.jellyfin.enable = true;',
        '  networking = { hostName = "box"; domain = "Example.org"; };',
        '  programs.git = { userName = "Alice A"; userEmail = "a@x.org"; };',
        '  home = { username = "alice"; homeDirectory = "/home/alice"; }; }',
      ].join('\n'),
    );
    // Each value once per list, however many settings name it.
    expect(f).toEqual({
      users: ['alice'],
      accounts: ['alice', 'svc'],
      serviceAccounts: ['svc', 'jellyfin'],
      hosts: ['box'],
      emails: ['a@x.org'],
      domains: ['example.org'],
      names: ['Alice A'],
    });
    // Nothing of any kind when the names are only values.
    expect(Object.values(facts('{ programs.git.enable = true; x = "users"; }')).flat()).toEqual([]);
  });
});

describe('Positions', () => {
  it('gives every offset its line and column, asked in any order', () => {
    const text = 'a\n\nbc\n{ x = 1;\n  y = "z"; }\n\n';
    const naive = (offset: number) => {
      const before = text.slice(0, offset);
      const line = before.split('\n').length;
      return { line, column: offset - (before.lastIndexOf('\n') + 1) + 1 };
    };
    const offsets = Array.from({ length: text.length + 1 }, (_, i) => i);
    // Forward, backward and shuffled: the lines are found only as far as asked.
    for (const order of [
      offsets,
      [...offsets].reverse(),
      offsets.map((_, i) => (i * 7) % offsets.length),
    ]) {
      const positions = new Positions(text);
      for (const o of order) expect(positions.at(o), `offset ${o}`).toEqual(naive(o));
    }
  });
});

describe('rules that first ask which names a file binds', () => {
  const ctx = (source: string): FileContext =>
    new FileContext(
      { path: 'm.nix', bytes: source.length, tree: parseNix(source, { check: false }) },
      { identifiers: NO_IDS, moduleTargets: new Set(), exports: [] },
    );

  it('mayBind: every name of the path is bound somewhere, in any nesting', () => {
    const c = ctx(
      '{ boot = { initrd.luks = { devices.root = { }; }; }; x = { inherit (y) systemd; }; }',
    );
    expect(c.mayBind(['boot', 'initrd', 'luks', 'devices'])).toBe(true);
    expect(c.mayBind(['systemd'])).toBe(true);
    expect(c.mayBind(['boot', 'loader'])).toBe(false);
    expect(c.hasName((n) => n.startsWith('dev'))).toBe(true);
    expect(c.hasName((n) => n === 'y')).toBe(false);
  });

  it('still find what nested sets bind, and nothing in a file without the names', () => {
    const nested =
      '{ config, ... }: { config = { boot = { initrd = { luks = { devices = { root = { device = "/dev/sda2"; }; }; }; }; }; networking = { hostId = "8425e349"; }; }; }';
    expect(run('hardware', nested).map((e) => e.text)).toEqual([
      'boot.initrd.luks.devices',
      'networking.hostId',
    ]);
    expect(run('platform-markers', '{ services = { yabai = { enable = true; }; }; }')).toHaveLength(
      1,
    );
    expect(run('platform-markers', '{ services.nginx.enable = true; x = "boot"; }')).toEqual([]);
    expect(
      run('secret-references', '{ services = { x = { tokenFile = "/r/t"; }; }; }'),
    ).toHaveLength(1);
    expect(run('secrets', '{ x = { y = { password = "pw"; }; }; }')).toHaveLength(1);
    expect(run('secrets', '{ x.y = "password"; }')).toEqual([]);
  });
});

describe('rule: entry-points', () => {
  it('marks flake.nix and files that define configurations', () => {
    expect(run('entry-points', '{ outputs = _: { }; }', { path: 'flake.nix' })).toHaveLength(1);
    expect(
      run('entry-points', '{ flake.nixosConfigurations.box = null; }', {
        path: 'parts/hosts.nix',
      })[0]?.text,
    ).toBe('defines nixosConfigurations.box');
  });

  it('a configuration is the name after the output, at the top or under flake, nowhere else', () => {
    const src = [
      '{ nixosConfigurations = { a = 1; b.c = 2; };',
      '  homeConfigurations."u@h" = 3;',
      '  flake.darwinConfigurations.mac = 4;',
      '  x.nixosConfigurations.d = 5;',
      '  nixosConfigurations.e.darwinConfigurations.f = 6;',
      '  darwinConfigurations = 7; }',
    ].join('\n');
    expect(run('entry-points', src, { path: 'parts/hosts.nix' }).map((e) => e.text)).toEqual([
      'defines nixosConfigurations.a',
      'defines homeConfigurations.u@h',
      'defines darwinConfigurations.mac',
    ]);
  });
});

describe('rules for issue 20: Windows homes, user@host, templates, names that are not hosts, prose', () => {
  it('windows-paths: C:\\Users\\<name> in any slash, case and escaping, /mnt/c/Users, \\\\wsl$ shares', () => {
    const src = [
      '{ a = "C:\\\\Users\\\\TomaszK\\\\AppData";',
      '  b = "c:/users/tomaszk/source";',
      "  c = ''",
      '    $env:Path += ";C:\\Users\\Ana\\bin"',
      "  '';",
      '  d = "/mnt/c/users/Bob/x"; e = "\\\\\\\\wsl$\\\\Ubuntu\\\\home\\\\tim";',
      '  f = "C:\\\\Users\\\\Public\\\\Desktop"; g = "C:\\\\Users\\\\<name>"; h = "/mnt/c/Windows/explorer.exe"; }',
    ].join('\n');
    const ev = run('windows-paths', src);
    expect(ev.map((e) => [e.value, e.option])).toEqual([
      ['TomaszK', 'crossflake.wsl.windowsUser'],
      ['tomaszk', 'crossflake.wsl.windowsUser'],
      ['Ana', 'crossflake.wsl.windowsUser'],
      ['Bob', 'crossflake.wsl.windowsUser'],
      ['tim', 'crossflake.user.name'],
    ]);
  });

  it('user-at-host: flake references and ssh targets name the host, with no configuration for it', () => {
    const ev = run(
      'user-at-host',
      '{ programs.zsh.shellAliases = { hm = "home-manager switch --flake ~/src/cfg#tim@some-laptop"; nas = "ssh -t tim@nas.lan uptime"; b = "rsync -a ~/x tim@backup:/srv"; }; }',
    );
    expect(ev.map((e) => [e.text, e.value, e.option])).toEqual([
      ['tim@some-laptop (host some-laptop)', 'some-laptop', 'crossflake.host.name'],
      ['tim@nas.lan (host nas.lan)', 'nas.lan', 'crossflake.host.name'],
      ['tim@backup (host backup)', 'backup', 'crossflake.host.name'],
    ]);
    // Not logins: an e-mail, git@github.com, a systemd unit, a placeholder.
    expect(
      run(
        'user-at-host',
        '{ a = "tim@posteo.net"; b = "ssh git@github.com"; c = [ "getty@tty1.service" ]; d = "ssh you@your-laptop"; }',
      ),
    ).toEqual([]);
    // An ssh target is not an e-mail address for personal-identifiers either.
    expect(run('personal-identifiers', '{ a = "ssh tim@nas.lan"; }')).toEqual([]);
  });

  it('templates: files under templates/ and placeholder values are templates, and name nobody', () => {
    const src =
      '{ home.username = "myuser"; home.homeDirectory = "/Users/myuser"; programs.git.userName = "Your Name"; programs.git.userEmail = "your-email@example.com"; networking.hostName = "my-mac"; }';
    const tpl = run('templates', src, { path: 'templates/default/home.nix' });
    expect(tpl.map((e) => e.text)).toEqual([
      'under templates/: a template, not a configuration',
      'placeholder myuser',
      'placeholder myuser',
      'placeholder Your Name',
      'placeholder your-email@example.com',
      'placeholder my-mac',
    ]);
    expect(tpl.every((e) => e.signal === 'template')).toBe(true);
    const ids = { users: ['myuser'], hosts: ['my-mac'] };
    expect(run('personal-identifiers', src, { ids })).toEqual([]);
    expect(run('home-paths', src)).toEqual([]);
    expect(run('hardware', src)).toEqual([]);
    expect(
      run('entry-points', '{ outputs = _: { darwinConfigurations.my-mac = 1; }; }', {
        path: 'templates/default/flake.nix',
      }),
    ).toEqual([]);
  });

  it('a flake input, an option namespace or a module directory named like a host is not the host', () => {
    const ids = { hosts: ['wsl', 'darwin'] };
    const src = [
      '{ inputs, darwin, ... }: {',
      '  inputs.darwin.url = "github:nix-darwin/nix-darwin";',
      '  imports = [ inputs.nixos-wsl.nixosModules.default ../../modules/wsl ./darwin/dock.nix ];',
      '  wsl.enable = true; x = darwin.lib.darwinSystem;',
      '  environment.etc."wsl/profile.ps1".text = "wsl.exe -d NixOS";',
      '  y = ./hosts/wsl; z = "ssh admin@darwin"; }',
    ].join('\n');
    expect(run('personal-identifiers', src, { ids }).map((e) => [e.line, e.text])).toEqual([
      [6, 'wsl'],
      [6, 'darwin'],
    ]);
  });

  it('prose is not hardware: /dev/disk/by-id in an option description or example is no device', () => {
    const src = [
      '{ lib, ... }: { options.x.dev = lib.mkOption {',
      '  description = "The partition (check /dev/disk/by-id/)";',
      '  example = "/dev/disk/by-id/nvme-abc-part2"; };',
      '  boot.resumeDevice = "/dev/disk/by-id/nvme-def-part2"; }',
    ].join('\n');
    expect(run('hardware', src).map((e) => e.line)).toEqual([4]);
  });
});
