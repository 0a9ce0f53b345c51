// Parser throughput: crossflake's Nix parser against `nix-instantiate --parse`
// on the same corpus (>= 5 MB of generated, real-shaped Nix: NixOS modules,
// package definitions, package sets, library code; plus this repo's .nix
// files). Both do the same work per file: read, parse, check variables, print
// the AST. Nix runs once over all files in one process; we run after warm-up.
import { build } from 'esbuild';
import { Buffer } from 'node:buffer';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const work = join(root, 'bench/.work');
const corpusDir = join(work, 'parse-corpus');
const TARGET_BYTES = 6 * 1024 * 1024;

function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = [
  'nginx',
  'openssh',
  'postgresql',
  'redis',
  'git',
  'curl',
  'ripgrep',
  'fd',
  'jq',
  'htop',
  'tmux',
  'zsh',
  'fish',
  'neovim',
  'docker',
  'podman',
  'tailscale',
  'wireguard',
  'prometheus',
  'grafana',
  'syncthing',
  'restic',
  'borg',
  'caddy',
  'traefik',
];
const HEADER = '{ config, lib, pkgs, stdenv, fetchurl, callPackage, ... }:\n';

function makeGenerator(seed) {
  const r = rng(seed);
  const pick = (xs) => xs[Math.floor(r() * xs.length)];
  let counter = 0;
  // Unique names: package sets and option blocks must not bind a name twice.
  const name = () => `${pick(WORDS)}${counter++}`;

  const moduleFile = () => {
    const svc = name();
    const opts = Array.from({ length: 4 + Math.floor(r() * 8) }, () => {
      const o = name();
      return `    ${o} = mkOption {\n      type = types.${pick(['bool', 'str', 'int', 'port', 'path', 'listOf types.str'])};\n      default = ${pick(['false', '"default"', '8080', '[ ]', 'null'])};\n      description = "Whether to configure ${o} for ${svc} (see https://example.org/${o}).";\n    };`;
    });
    const settings = Array.from(
      { length: 6 + Math.floor(r() * 10) },
      () =>
        `      ${name()}.${name()} = ${pick(['cfg.port', '"${cfg.dataDir}/state"', 'lib.mkDefault true', '[ pkgs.git pkgs.curl ]', 'cfg.enable && !cfg.debug', '1024 * 1024', 'builtins.toString cfg.port'])};`,
    );
    return `${HEADER}\nwith lib;\n\nlet\n  cfg = config.services.${svc};\n  # Configuration file generated from the module options.\n  configFile = pkgs.writeText "${svc}.conf" ''\n    listen \${toString cfg.port}\n    data_dir ''\${cfg.dataDir}\n    log_level = "info"\n  '';\nin\n{\n  options.services.${svc} = {\n    enable = mkEnableOption "${svc} service";\n${opts.join('\n')}\n  };\n\n  config = mkIf cfg.enable {\n    systemd.services.${svc} = {\n      description = "${svc} daemon";\n      wantedBy = [ "multi-user.target" ];\n      after = [ "network.target" ];\n      serviceConfig = {\n        ExecStart = "\${pkgs.${svc}}/bin/${svc} --config \${configFile}";\n        Restart = "on-failure";\n        DynamicUser = true;\n      };\n    };\n    /* settings derived from options */\n    environment.etc = {\n${settings.join('\n')}\n    };\n    networking.firewall.allowedTCPPorts = optional cfg.openFirewall cfg.port;\n  };\n}\n`;
  };

  const packageFile = () => {
    const pname = name();
    const deps = Array.from({ length: 3 + Math.floor(r() * 6) }, () => `pkgs.${name()}`);
    return `${HEADER}\nstdenv.mkDerivation rec {\n  pname = "${pname}";\n  version = "${Math.floor(r() * 10)}.${Math.floor(r() * 20)}.${Math.floor(r() * 9)}";\n\n  src = fetchurl {\n    url = "https://example.org/releases/\${pname}-\${version}.tar.gz";\n    sha256 = "0${Math.floor(r() * 1e15).toString(36)}ab${Math.floor(r() * 1e15).toString(36)}";\n  };\n\n  nativeBuildInputs = [ pkgs.pkg-config pkgs.cmake ];\n  buildInputs = [ ${deps.join(' ')} ];\n\n  postPatch = ''\n    substituteInPlace Makefile \\\n      --replace /usr/local $out\n    for f in src/*.c; do\n      sed -i "s|@VERSION@|\${version}|" "$f"\n    done\n  '';\n\n  doCheck = stdenv.hostPlatform == stdenv.buildPlatform;\n  makeFlags = [ "PREFIX=\${placeholder "out"}" "CC=\${stdenv.cc.targetPrefix}cc" ];\n\n  meta = with lib; {\n    description = "The ${pname} tool";\n    homepage = "https://example.org/${pname}";\n    license = licenses.${pick(['mit', 'gpl3Plus', 'asl20', 'bsd3'])};\n    maintainers = with maintainers; [ ];\n    platforms = platforms.unix;\n  };\n}\n`;
  };

  const setFile = () => {
    const lines = Array.from({ length: 200 + Math.floor(r() * 200) }, () => {
      const n = name();
      return r() < 0.7
        ? `  ${n} = callPackage ./pkgs/${n} { };`
        : `  ${n} = pkgs.${pick(WORDS)}.override { withGui = ${pick(['false', 'true'])}; };`;
    });
    return `${HEADER}\nlet\n  inherit (pkgs) ${WORDS.slice(0, 8).join(' ')};\nin\nrec {\n${lines.join('\n')}\n}\n`;
  };

  const libFile = () => {
    const fns = Array.from({ length: 20 + Math.floor(r() * 20) }, () => {
      const f = name();
      return `  /* ${f}: combine attribute sets. */\n  ${f} = xs: f: builtins.foldl' (acc: x: acc // { \${x.name} = f x.value; }) { } (builtins.filter (x: x ? name && x.value != null) xs);\n  ${f}Paths = root: map (p: root + "/\${p}") [ "a" "b/c" ];\n  ${f}If = cond: value: if cond then value else if builtins.isList value then [ ] else { };`;
    });
    return `${HEADER}\nlet\n  inherit (builtins) map filter length elemAt;\nin\n{\n${fns.join('\n\n')}\n}\n`;
  };

  return () => pick([moduleFile, moduleFile, packageFile, packageFile, setFile, libFile])();
}

function repoNixFiles(dir) {
  const out = [];
  // Dot folders (.git, .cache with its Wine prefix and dangling links) are
  // not the repository's sources; links are never followed.
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const name = entry.name;
    if (name.startsWith('.') || ['node_modules', 'dist'].includes(name)) continue;
    const p = join(dir, name);
    if (entry.isDirectory()) out.push(...repoNixFiles(p));
    else if (entry.isFile() && name.endsWith('.nix')) out.push(p);
  }
  return out;
}

function makeCorpus() {
  rmSync(corpusDir, { recursive: true, force: true });
  mkdirSync(corpusDir, { recursive: true });
  const next = makeGenerator(20240601);
  const files = [];
  let total = 0;
  for (let i = 0; total < TARGET_BYTES; i++) {
    const text = next();
    const path = join(corpusDir, `f${String(i).padStart(4, '0')}.nix`);
    writeFileSync(path, text);
    files.push(path);
    total += Buffer.byteLength(text);
  }
  return files;
}

function nixParse(files) {
  const t0 = process.hrtime.bigint();
  const res = spawnSync('nix-instantiate', ['--parse', ...files], { maxBuffer: 1 << 30 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  return { ms, ok: res.status === 0, err: res.stderr?.toString().slice(0, 400), out: res.stdout };
}

await build({
  entryPoints: [join(root, 'src/nixlang/index.ts')],
  bundle: true,
  format: 'esm',
  platform: 'node',
  outfile: join(work, 'nixlang.mjs'),
  logLevel: 'warning',
});
const { parseNix, printNixParse } = await import(join(work, 'nixlang.mjs'));

const generated = makeCorpus();
const repoFiles = repoNixFiles(root).filter((f) => !f.includes('/fixtures/'));
const files = [...generated, ...repoFiles];
const bytes = files.reduce((n, f) => n + statSync(f).size, 0);
const mb = bytes / 1e6;
console.log(
  `corpus: ${files.length} files, ${mb.toFixed(2)} MB (${generated.length} generated, ${repoFiles.length} from the repo)`,
);

// Nix: one process over every file; its start-up is measured and taken out.
const tiny = join(work, 'tiny.nix');
writeFileSync(tiny, '1\n');
let startup = Infinity;
for (let i = 0; i < 3; i++) startup = Math.min(startup, nixParse([tiny]).ms);
let nixMs = Infinity;
for (let i = 0; i < 3; i++) {
  const r = nixParse(files);
  if (!r.ok) {
    console.log(`nix-instantiate rejected the corpus: ${r.err}`);
    process.exit(1);
  }
  nixMs = Math.min(nixMs, r.ms);
}

const home = process.env.HOME ?? '/';
function ours(print) {
  const t0 = process.hrtime.bigint();
  let problems = 0;
  for (const f of files) {
    const tree = parseNix(readFileSync(f));
    problems += tree.diagnostics.length;
    if (print) printNixParse(tree, { basePath: corpusDir, home });
  }
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, problems };
}
for (let i = 0; i < 3; i++) ours(true); // warm-up
let parseMs = Infinity;
let fullMs = Infinity;
for (let i = 0; i < 5; i++) {
  const p = ours(false);
  if (p.problems > 0) {
    console.log(`crossflake reported ${p.problems} problems on a corpus nix accepts`);
    process.exit(1);
  }
  parseMs = Math.min(parseMs, p.ms);
  fullMs = Math.min(fullMs, ours(true).ms);
}

const rate = (ms) => mb / (ms / 1000);
const nixNet = Math.max(1, nixMs - startup);
console.log(
  `nix-instantiate --parse:        ${rate(nixMs).toFixed(1)} MB/s (${nixMs.toFixed(0)} ms; ${rate(nixNet).toFixed(1)} MB/s without its ${startup.toFixed(0)} ms start-up)`,
);
console.log(
  `crossflake parse + check:       ${rate(parseMs).toFixed(1)} MB/s (${parseMs.toFixed(0)} ms)`,
);
console.log(
  `crossflake parse + check + print: ${rate(fullMs).toFixed(1)} MB/s (${fullMs.toFixed(0)} ms)`,
);
console.log(
  `ratio crossflake/nix (same work, nix start-up excluded): ${(nixNet / fullMs).toFixed(2)}`,
);
