// images fetch's download-and-verify beside what a colleague would otherwise
// type: `curl -o` then `sha256sum` (issue 9's SHA256SUMS check done by hand).
// Both fetch the same 256 MiB file from a server on 127.0.0.1; crossflake
// hashes while writing, the baseline reads the file a second time.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { build } from 'esbuild';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SIZE = Number(process.env.BENCH_MIB ?? 256) * 1024 * 1024;
const work = mkdtempSync(join(tmpdir(), 'cf-bench-fetch-'));
const run = promisify(execFile);
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

// The download module is not reachable from the CLI bundle on its own; bundle it here.
const mod = join(work, 'download.mjs');
await build({
  entryPoints: [new URL('../src/io/net/download.ts', import.meta.url).pathname],
  bundle: true,
  platform: 'node',
  format: 'esm',
  outfile: mod,
  logLevel: 'warning',
  // undici is CommonJS and calls require(); give the ESM bundle one (as scripts/build.mjs does).
  banner: {
    js: "import { createRequire as __cfCreateRequire } from 'node:module'; const require = __cfCreateRequire(import.meta.url);",
  },
});
const { download } = await import(mod);

const body = randomBytes(SIZE);
const sha = createHash('sha256').update(body).digest('hex');
const server = createServer((_, res) => {
  res.writeHead(200, { 'content-length': body.length });
  res.end(body);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${server.address().port}/image.wsl`;

async function time(label, once) {
  const times = [];
  for (let i = -1; i < RUNS; i++) {
    const dir = join(work, `${label}-${i + 1}`);
    mkdirSync(dir);
    const t = performance.now();
    await once(dir);
    if (i >= 0) times.push(performance.now() - t);
    rmSync(dir, { recursive: true, force: true });
  }
  return median(times);
}

const crossflake = await time('crossflake', async (dir) => {
  const got = await download(url, join(dir, 'image.wsl'), { expectedSha256: sha });
  if (got.sha256 !== sha) throw new Error('bad hash');
});
const baseline = await time('curl', async (dir) => {
  const file = join(dir, 'image.wsl');
  // Asynchronous: the server answering curl lives in this very process.
  await run('curl', ['-sSf', '-o', file, url]);
  writeFileSync(join(dir, 'SHA256SUMS'), `${sha}  image.wsl\n`);
  await run('sha256sum', ['-c', '--quiet', 'SHA256SUMS'], { cwd: dir });
});
server.close();
rmSync(work, { recursive: true, force: true });

console.log(`download + verify ${SIZE / 1024 ** 2} MiB from 127.0.0.1, median of ${RUNS}:`);
console.log(`  crossflake images fetch (hash while writing): ${crossflake.toFixed(0)} ms`);
console.log(`  curl -o + sha256sum -c (two passes):          ${baseline.toFixed(0)} ms`);
console.log(`  ratio crossflake / baseline: ${(crossflake / baseline).toFixed(2)}x`);
