// images fetch's download-and-verify beside what a colleague would otherwise
// type: `curl -o` then `sha256sum -c` (issue 9's SHA256SUMS check done by
// hand). Both fetch the same 256 MiB file from a server on 127.0.0.1, first
// directly, then through a forward proxy on 127.0.0.1 (test/helpers/
// forward-proxy.ts). The origin server and the proxy each run in a process
// of their own, so neither side shares its thread with them.
// crossflake hashes while writing; the baseline reads the file a second time.
// Ratio = crossflake time / baseline time (lower is better); the networks
// issue asks for at most 0.7x direct and at most 1.1x through the proxy.
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { promisify } from 'node:util';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { build } from 'esbuild';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SIZE = Number(process.env.BENCH_MIB ?? 256) * 1024 * 1024;
const work = mkdtempSync(join(tmpdir(), 'cf-bench-fetch-'));
const run = promisify(execFile);
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const here = (p) => new URL(p, import.meta.url).pathname;

// undici is CommonJS and calls require(); give the ESM bundles one (as scripts/build.mjs does).
const banner = {
  js: "import { createRequire as __cfCreateRequire } from 'node:module'; const require = __cfCreateRequire(import.meta.url);",
};
async function bundle(name, contents) {
  const outfile = join(work, name);
  await build({
    stdin: { contents, resolveDir: here('.'), loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile,
    banner,
    logLevel: 'warning',
  });
  return outfile;
}

// The download module is not reachable from the CLI bundle on its own; bundle it here.
const mod = await bundle(
  'download.mjs',
  "export { download } from '../src/io/net/download.ts'; export { netConfig } from '../src/io/net/client.ts';",
);
const { download, netConfig } = await import(mod);
const proxyScript = await bundle(
  'proxy.mjs',
  "import { startForwardProxy } from '../test/helpers/forward-proxy.ts'; const p = await startForwardProxy(); console.log(p.port);",
);

// The origin server runs in a process of its own, like the proxy: neither
// side then shares its thread with the server (curl never did).
const originScript = join(work, 'origin.mjs');
writeFileSync(
  originScript,
  `import { createServer } from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
const body = randomBytes(${SIZE});
const sha = createHash('sha256').update(body).digest('hex');
const server = createServer((_, res) => {
  res.writeHead(200, { 'content-length': body.length });
  res.end(body);
});
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: server.address().port, sha })));
`,
);
const origin = spawn(process.execPath, [originScript], { stdio: ['ignore', 'pipe', 'inherit'] });
const [originLine] = await once(origin.stdout, 'data');
const { port: originPort, sha } = JSON.parse(String(originLine));
const url = `http://127.0.0.1:${originPort}/image.wsl`;

const proxy = spawn(process.execPath, [proxyScript], { stdio: ['ignore', 'pipe', 'inherit'] });
const [portLine] = await once(proxy.stdout, 'data');
const proxyUrl = `http://127.0.0.1:${String(portLine).trim()}`;
// Neither side may pick up a proxy from the environment the bench runs in.
const cleanEnv = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => !/^(https?|no|all)_proxy$/i.test(k)),
);

async function timeOnce(dir, onceFn) {
  mkdirSync(dir);
  const t = performance.now();
  await onceFn(dir);
  const ms = performance.now() - t;
  rmSync(dir, { recursive: true, force: true });
  return ms;
}

// crossflake and the baseline alternate, run by run (after one warm-up each),
// and the ratio is the median of the per-pair ratios: on a shared machine the
// load changes over a minute, and timing all of one side and then all of the
// other measured that drift as much as the downloads (0.50x to 1.11x).
async function compare(label, crossflakeFn, baselineFn) {
  const cf = [];
  const base = [];
  for (let i = -1; i < RUNS; i++) {
    const a = await timeOnce(join(work, `${label}-cf-${i + 1}`), crossflakeFn);
    const b = await timeOnce(join(work, `${label}-base-${i + 1}`), baselineFn);
    if (i >= 0) {
      cf.push(a);
      base.push(b);
    }
  }
  return {
    crossflake: median(cf),
    baseline: median(base),
    ratio: median(cf.map((a, i) => a / base[i])),
  };
}

function crossflake(net) {
  return async (dir) => {
    const got = await download(url, join(dir, 'image.wsl'), { expectedSha256: sha, net });
    if (got.sha256 !== sha) throw new Error('bad hash');
  };
}

function curl(extra) {
  return async (dir) => {
    const file = join(dir, 'image.wsl');
    await run('curl', ['-sSf', ...extra, '-o', file, url], { env: cleanEnv });
    writeFileSync(join(dir, 'SHA256SUMS'), `${sha}  image.wsl\n`);
    await run('sha256sum', ['-c', '--quiet', 'SHA256SUMS'], { cwd: dir });
  };
}

const direct = await compare('direct', crossflake(netConfig({})), curl([]));
const proxied = await compare(
  'proxy',
  crossflake(netConfig({ HTTP_PROXY: proxyUrl })),
  curl(['--proxy', proxyUrl]),
);
proxy.kill();
origin.kill();
rmSync(work, { recursive: true, force: true });

const mib = SIZE / 1024 ** 2;
const line = (label, ms) => console.log(`  ${label.padEnd(48)} ${ms.toFixed(0)} ms`);
const ratio = (r, target) => {
  console.log(
    `  ratio crossflake / baseline (median of paired runs): ${r.ratio.toFixed(2)}x (target <= ${target}x)`,
  );
};
console.log(`download + verify ${mib} MiB from 127.0.0.1, median of ${RUNS}:`);
line('crossflake images fetch (hash while writing):', direct.crossflake);
line('curl -o + sha256sum -c (two passes):', direct.baseline);
ratio(direct, 0.7);
console.log(`the same through a forward proxy on 127.0.0.1, median of ${RUNS}:`);
line('crossflake with HTTP_PROXY:', proxied.crossflake);
line('curl --proxy + sha256sum -c:', proxied.baseline);
ratio(proxied, 1.1);
