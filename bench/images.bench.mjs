// Benchmark for `crossflake images` (issue 6), two measurements in one run:
//
// 1. Building a matrix of 8 images: `crossflake images build` (one evaluation,
//    one `nix build` for all, Nix schedules them in parallel and builds the
//    shared closure once) against the strategy's build-all-images app, a shell
//    loop of one `nix build` per image. The bench flake's images each take
//    about a second to build on top of a shared closure, and every evaluation
//    pays a fixed cost standing in for evaluating nixpkgs and the NixOS
//    configuration. Each side gets a fresh salt, so both really build.
// 2. Exporting a 1 GiB artifact: crossflake's hash-while-copy (one read)
//    against `cp` then `sha256sum` (two passes).
//
// Prints both ratios (crossflake / baseline; lower is better).
import { Buffer } from 'node:buffer';
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { build as esbuild } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const work = join(root, 'bench', '.work');
const nixConfig = [
  'experimental-features = nix-command flakes',
  'sandbox = false',
  'substituters =',
  'build-users-group =',
].join('\n');
const env = { ...process.env, NIX_CONFIG: nixConfig };
const system = `${process.arch === 'arm64' ? 'aarch64' : 'x86_64'}-linux`;
const extensions = {
  wsl: 'wsl',
  qcow2: 'qcow2',
  'qcow2-efi': 'qcow2',
  iso: 'iso',
  virtualbox: 'ova',
  vmware: 'vmdk',
  'raw-efi': 'img',
  docker: 'tar.gz',
};
const formats = Object.keys(extensions);

function benchFlake() {
  const images = formats
    .map(
      (f) => `{ name = "bench"; format = "${f}"; system = "${system}"; kind = "derivation";
        attr = "packages.${system}.bench-${f}"; file = "image.${f}"; extension = "${extensions[f]}"; }`,
    )
    .join('\n      ');
  return `{
  outputs = { self }:
    let
      salt = builtins.readFile ./salt;
      # Stands in for evaluating nixpkgs and a NixOS configuration: every nix
      # invocation that evaluates the flake pays it once.
      evalCost = builtins.foldl' (a: b: a + b) 0 (builtins.genList (x: x * 2) 1500000);
      sh = name: script: builtins.derivation {
        system = "${system}"; inherit name; builder = "/bin/sh"; args = [ "-c" script ];
        PATH = "/bin:/usr/bin"; cost = toString evalCost;
      };
      closure = sh "bench-closure" "echo \${salt}; sleep 1; mkdir -p $out; head -c 10000000 /dev/urandom > $out/blob";
      image = f: sh "bench-\${f}" "sleep 1; mkdir -p $out; head -c 20000000 \${closure}/blob > $out/image.\${f}; echo \${salt} >> $out/image.\${f}";
      formats = [ ${formats.map((f) => `"${f}"`).join(' ')} ];
    in {
      packages.${system} = builtins.listToAttrs (map (f: { name = "bench-\${f}"; value = image f; }) formats);
      crossflake.images = [
      ${images}
      ];
    };
}
`;
}

function timed(command, args, options = {}) {
  const start = process.hrtime.bigint();
  const res = spawnSync(command, args, { env, stdio: ['ignore', 'ignore', 'pipe'], ...options });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (res.status !== 0) {
    throw new Error(
      `${command} ${args.slice(0, 3).join(' ')} failed: ${res.stderr?.toString().slice(-800)}`,
    );
  }
  return seconds;
}

function benchBuild() {
  const flake = join(work, 'flake');
  mkdirSync(flake, { recursive: true });
  writeFileSync(join(flake, 'flake.nix'), benchFlake());
  const salt = `${process.pid}-${Date.now()}`;

  writeFileSync(join(flake, 'salt'), `loop-${salt}`);
  const loop = timed('sh', [
    '-c',
    'flake="$1"; shift; for attr in "$@"; do nix build --no-link "$flake#$attr" || exit 1; done',
    'build-all-images',
    `path:${flake}`,
    ...formats.map((f) => `packages.${system}.bench-${f}`),
  ]);

  writeFileSync(join(flake, 'salt'), `crossflake-${salt}`);
  const crossflake = timed(process.execPath, [
    join(root, 'bin', 'crossflake.js'),
    'images',
    'build',
    '--flake',
    // path: because bench/.work sits inside a git checkout and is untracked.
    `path:${flake}`,
    '--dist',
    join(work, 'dist'),
    '--version',
    `bench-${salt}`,
  ]);
  return { loop, crossflake };
}

async function loadFiles() {
  const out = join(work, 'files.mjs');
  await esbuild({
    entryPoints: [join(root, 'src', 'io', 'files.ts')],
    outfile: out,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'error',
  });
  return import(out);
}

function makeGiB(path) {
  const chunk = Buffer.alloc(8 * 1024 * 1024);
  for (let i = 0; i < chunk.length; i += 1) chunk[i] = (i * 2654435761) >>> 24;
  const fd = openSync(path, 'w');
  for (let i = 0; i < 128; i++) {
    chunk[0] = i;
    writeSync(fd, chunk);
  }
  closeSync(fd);
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function benchExport() {
  const { copyFileHashing } = await loadFiles();
  const source = join(work, 'artifact-1GiB.bin');
  makeGiB(source);
  const ours = [];
  const twoPass = [];
  try {
    for (let round = 0; round < 3; round++) {
      const a = join(work, 'export-crossflake.bin');
      const startA = process.hrtime.bigint();
      // As images build exports artifacts: no fsync (cp does none either).
      await copyFileHashing(source, a, { durable: false });
      ours.push(Number(process.hrtime.bigint() - startA) / 1e9);
      rmSync(a);

      const b = join(work, 'export-cp.bin');
      twoPass.push(
        timed('sh', ['-c', 'cp "$1" "$2" && sha256sum "$2" > /dev/null', 'export', source, b]),
      );
      rmSync(b);
    }
  } finally {
    rmSync(source, { force: true });
  }
  return { crossflake: median(ours), baseline: median(twoPass) };
}

mkdirSync(work, { recursive: true });
try {
  const build = benchBuild();
  console.log(`images build, ${formats.length} images (${system}):`);
  console.log(`  shell loop, one nix build per image: ${build.loop.toFixed(2)} s`);
  console.log(`  crossflake images build:             ${build.crossflake.toFixed(2)} s`);
  console.log(
    `  ratio crossflake/loop: ${(build.crossflake / build.loop).toFixed(2)}x (target <= 0.5x)`,
  );

  const exp = await benchExport();
  console.log('export of a 1 GiB artifact (median of 3):');
  console.log(`  cp then sha256sum:             ${exp.baseline.toFixed(2)} s`);
  console.log(`  crossflake hash-while-copy:    ${exp.crossflake.toFixed(2)} s`);
  console.log(
    `  ratio crossflake/two-pass: ${(exp.crossflake / exp.baseline).toFixed(2)}x (target <= 0.6x)`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
