// extract analyze speed (issue 8): the whole analysis (read, parse, import
// graph, outputs, identifiers, every rule, classification, JSON out) of a
// generated personal repo of 2,000 module files, and of this repo's own Nix,
// beside `nix-instantiate --parse` merely parsing the same files. Both are
// timed end to end as one process each (start-up included), best of 5,
// and again beyond each tool's start-up (a run on one empty file).
// crossflake is timed twice: a full analysis (--no-cache), and a re-run on
// the unchanged repository, which reuses the cached analysis after checking
// every file's stamp (src/extract/cache.ts).
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const work = join(root, 'bench/.work/extract');
const bin = join(root, 'bin/crossflake.js');
const RUNS = 5;
const cacheDir = join(work, 'cache');
const env = { ...process.env, CROSSFLAKE_CACHE_DIR: cacheDir };

function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PKGS = [
  'git',
  'curl',
  'ripgrep',
  'fd',
  'jq',
  'htop',
  'tmux',
  'zsh',
  'neovim',
  'direnv',
  'bat',
  'eza',
];
const SERVICES = [
  'openssh',
  'tailscale',
  'syncthing',
  'restic',
  'caddy',
  'postgresql',
  'redis',
  'prometheus',
];

// Module shapes people write: plain settings, options + config, platform
// adapters, a git module with personal values, the odd secret.
function moduleText(r, i) {
  const pick = (xs) => xs[Math.floor(r() * xs.length)];
  const pkgs = Array.from({ length: 3 + Math.floor(r() * 6) }, () => `    ${pick(PKGS)}`).join(
    '\n',
  );
  const kind = r();
  if (kind < 0.08)
    return `{\n  wsl.enable = true;\n  wsl.defaultUser = "dev${i % 7}";\n  wsl.interop.register = true;\n  wsl.wslConf.automount.root = "/mnt";\n}\n`;
  if (kind < 0.14)
    return `{\n  system.defaults.dock.autohide = true;\n  homebrew.enable = true;\n  homebrew.casks = [ "firefox" "iterm2" ];\n}\n`;
  if (kind < 0.2)
    return `{\n  programs.git = {\n    enable = true;\n    userName = "Dev ${i % 7}";\n    userEmail = "dev${i % 7}@example.org";\n    aliases.co = "checkout";\n  };\n}\n`;
  if (kind < 0.22)
    return `{\n  networking.wireless.networks."Net${i}".psk = "not-a-real-psk-${i}";\n}\n`;
  const svc = `${pick(SERVICES)}${i}`;
  return `{ config, lib, pkgs, ... }:
let
  cfg = config.my.${svc};
in
{
  options.my.${svc} = {
    enable = lib.mkEnableOption "${svc}";
    port = lib.mkOption {
      type = lib.types.port;
      default = ${1000 + i};
      description = "Port ${svc} listens on.";
    };
  };

  config = lib.mkIf cfg.enable {
    environment.systemPackages = with pkgs; [
${pkgs}
    ];
    services.${pick(SERVICES)}.enable = true;
    networking.firewall.allowedTCPPorts = [ cfg.port ];
    # comment: keep the port open only where the service runs
    environment.etc."${svc}/config".text = ''
      listen \${toString cfg.port}
      data /var/lib/${svc}
    '';
  };
}
`;
}

function generate(dir, count) {
  rmSync(dir, { recursive: true, force: true });
  const r = rng(8);
  const hosts = Array.from({ length: 20 }, (_, h) => `host${h}`);
  const files = [];
  const write = (path, text) => {
    const full = join(dir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
    files.push(full);
  };
  const perHost = Math.ceil(count / hosts.length);
  for (let i = 0; i < count; i++)
    write(`modules/m${Math.floor(i / 100)}/mod${i}.nix`, moduleText(r, i));
  hosts.forEach((h, n) => {
    const imports = Array.from({ length: perHost }, (_, k) => {
      const i = n * perHost + k;
      return i < count ? `    ../../modules/m${Math.floor(i / 100)}/mod${i}.nix` : null;
    }).filter(Boolean);
    write(
      `hosts/${h}/default.nix`,
      `{ ... }:\n{\n  imports = [\n${imports.join('\n')}\n  ];\n  networking.hostName = "${h}";\n}\n`,
    );
  });
  const configs = hosts.map(
    (h) =>
      `    nixosConfigurations.${h} = nixpkgs.lib.nixosSystem { modules = [ ./hosts/${h} ]; };`,
  );
  write(
    'flake.nix',
    `{\n  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-26.05";\n  outputs = { self, nixpkgs }: {\n${configs.join('\n')}\n  };\n}\n`,
  );
  return files;
}

function ownNix(dir) {
  rmSync(dir, { recursive: true, force: true });
  const res = spawnSync('git', ['ls-files', '*.nix'], { cwd: root, encoding: 'utf8' });
  const files = [];
  // The parser's own test corpus holds files Nix rejects on purpose; keep
  // the files Nix parses, so both sides read the same set.
  const accepted = res.stdout
    .split('\n')
    .filter(Boolean)
    .filter(
      (rel) =>
        spawnSync('nix-instantiate', ['--parse', join(root, rel)], { stdio: 'ignore' }).status ===
        0,
    );
  for (const rel of accepted) {
    const to = join(dir, rel);
    mkdirSync(dirname(to), { recursive: true });
    copyFileSync(join(root, rel), to);
    files.push(to);
  }
  return files;
}

function best(cmd, args) {
  let ms = Infinity;
  let last;
  for (let i = 0; i < RUNS; i++) {
    const t0 = process.hrtime.bigint();
    last = spawnSync(cmd, args, { maxBuffer: 1 << 30, env });
    ms = Math.min(ms, Number(process.hrtime.bigint() - t0) / 1e6);
    if (last.error || last.status !== 0)
      return {
        ms: null,
        why: (last.error?.message ?? last.stderr?.toString() ?? '').slice(0, 300),
      };
  }
  return { ms, out: last.stdout };
}

function sleepMs(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

// Each tool's fixed cost, from a repository of one empty file: the same
// runs minus this are the work that grows with the files.
function startUp() {
  const dir = join(work, 'one');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'default.nix'), '{ }\n');
  const args = [bin, 'extract', 'analyze', dir, '--json'];
  const ours = best(process.execPath, [...args, '--no-cache']);
  sleepMs(2100);
  spawnSync(process.execPath, args, { env, stdio: 'ignore' });
  const cached = best(process.execPath, args);
  const nix = best('nix-instantiate', ['--parse', join(dir, 'default.nix')]);
  const ms = (r) => (r.ms === null ? 'n/a' : `${r.ms.toFixed(0)} ms`);
  console.log(
    `start-up (one empty file): crossflake ${ms(ours)} (re-run ${ms(cached)}), nix-instantiate ${ms(nix)}`,
  );
  return { ours: ours.ms ?? 0, cached: cached.ms ?? 0, nix: nix.ms ?? 0 };
}

function measure(name, dir, files, fixed) {
  const bytes = files.reduce((n, f) => n + statSync(f).size, 0);
  const mb = bytes / 1e6;
  const args = [bin, 'extract', 'analyze', dir, '--json'];
  const ours = best(process.execPath, [...args, '--no-cache']);
  if (ours.ms === null) {
    console.log(`${name}: crossflake extract analyze failed: ${ours.why}`);
    process.exitCode = 1;
    return;
  }
  const report = JSON.parse(ours.out.toString('utf8'));
  const nix = best('nix-instantiate', ['--parse', ...files]);
  const rate = (ms) =>
    `${(files.length / (ms / 1000)).toFixed(0)} files/s, ${(mb / (ms / 1000)).toFixed(2)} MB/s (${ms.toFixed(0)} ms)`;
  console.log(
    `${name}: ${files.length} files, ${mb.toFixed(2)} MB; labels ${JSON.stringify(report.summary)}`,
  );
  // Prime the cache once the files are older than the window in which a
  // file's stamp proves nothing (2 s), as a repository is between edits.
  sleepMs(2100);
  spawnSync(process.execPath, args, { env, stdio: 'ignore' });
  const cached = best(process.execPath, args);
  if (cached.ms === null || !cached.out.equals(ours.out)) {
    console.log(`${name}: the cached analysis differs from the full one`);
    process.exitCode = 1;
    return;
  }
  console.log(`  crossflake extract analyze --json --no-cache: ${rate(ours.ms)}`);
  console.log(`  crossflake extract analyze --json, re-run:    ${rate(cached.ms)}`);
  if (nix.ms === null) {
    console.log(
      `  nix-instantiate --parse:                      n/a (${nix.why.split('\n')[0] || 'not installed'})`,
    );
    return;
  }
  console.log(`  nix-instantiate --parse:                      ${rate(nix.ms)}`);
  const ratio = (a, b) => (b > 0 ? (a / b).toFixed(2) : 'n/a');
  const beyond = (ms, f) => Math.max(ms - f, 0.1);
  console.log('  ratio, speed of crossflake / speed of nix-instantiate --parse:');
  console.log(
    `    full analysis: ${ratio(nix.ms, ours.ms)} whole process, ${ratio(beyond(nix.ms, fixed.nix), beyond(ours.ms, fixed.ours))} beyond start-up`,
  );
  console.log(
    `    re-run:        ${ratio(nix.ms, cached.ms)} whole process, ${ratio(beyond(nix.ms, fixed.nix), beyond(cached.ms, fixed.cached))} beyond start-up`,
  );
}

rmSync(cacheDir, { recursive: true, force: true });
const fixed = startUp();
measure(
  'generated personal repo',
  join(work, 'generated'),
  generate(join(work, 'generated'), 2000),
  fixed,
);
measure("this repo's own Nix", join(work, 'self'), ownNix(join(work, 'self')), fixed);
