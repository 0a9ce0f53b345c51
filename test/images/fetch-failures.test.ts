// images fetch on the failures a hostile review reproduced (each crashed with
// "internal error" and a stack, exit 70, or wrote through a planted link):
// every one is now one line naming the URL or path and what to do, exit 1
// (the network, the disk) or 2 (what was typed). Real servers on 127.0.0.1.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, type CliResult } from './helpers.js';

const body = randomBytes(256 * 1024);
const sha = createHash('sha256').update(body).digest('hex');
const sums = `${sha}  image.wsl\n`;
let dir: string;
let closers: (() => Promise<void>)[];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cf-fetch-fail-'));
  closers = [];
});
afterEach(async () => {
  await Promise.all(closers.map((c) => c()));
  rmSync(dir, { recursive: true, force: true });
});

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** A server on 127.0.0.1 answering every request with `handler`; records paths. */
async function serve(handler: Handler): Promise<{ url: string; paths: string[] }> {
  const paths: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    paths.push(req.url ?? '');
    handler(req, res);
  });
  server.on('connection', (s: Socket) => sockets.add(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(
    () =>
      new Promise((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, paths };
}

/** SHA256SUMS for the release, `image` decides the image's answer. */
const release =
  (image: Handler): Handler =>
  (req, res) => {
    if (req.url === '/SHA256SUMS') res.writeHead(200).end(sums);
    else if (req.url === '/image.wsl') image(req, res);
    else res.writeHead(404).end();
  };

async function fetchCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return cli(['images', 'fetch', ...args], dir, env);
}

/** One line on stderr (besides progress lines), no stack, the expected exit code. */
function expectOneLine(res: CliResult, code: number, ...parts: string[]): void {
  expect(res.stderr).not.toContain('internal error');
  expect(res.stderr).not.toMatch(/\n\s+at /);
  const lines = res.stderr.trim().split('\n');
  expect(lines.filter((l) => !/^image\.wsl: \d+% /.test(l))).toHaveLength(1);
  for (const part of parts) expect(res.stderr).toContain(part);
  expect(res.code).toBe(code);
}

describe('images fetch: network failures are one line with the URL, exit 1', () => {
  it('a redirect loop', async () => {
    const s = await serve((req, res) => res.writeHead(302, { location: req.url }).end());
    const res = await fetchCli([`${s.url}image.wsl`, '--to', 'out']);
    expectOneLine(res, 1, s.url, 'more than 8 redirects');
  });

  it('a redirect to file://', async () => {
    const s = await serve((_, res) => res.writeHead(301, { location: 'file:///etc/passwd' }).end());
    const res = await fetchCli([`${s.url}image.wsl`, '--to', 'out']);
    expectOneLine(res, 1, `${s.url}SHA256SUMS redirects to a file: URL`, 'only http and https');
  });

  it('connection refused, after the configured retries', async () => {
    const s = await serve(() => undefined);
    await closers.pop()!();
    const res = await fetchCli([`${s.url}image.wsl`, '--to', 'out'], { CROSSFLAKE_RETRIES: '1' });
    expectOneLine(res, 1, s.url, 'connection refused (ECONNREFUSED) (after 2 attempts)');
  });

  it('HTTP 403, not retried', async () => {
    const s = await serve((_, res) => res.writeHead(403).end('no'));
    const res = await fetchCli([`${s.url}image.wsl`, '--to', 'out']);
    expectOneLine(res, 1, `${s.url}SHA256SUMS: HTTP 403 Forbidden`, 'may read it');
    expect(s.paths.filter((p) => p === '/SHA256SUMS')).toHaveLength(1);
  });

  it('HTTP 500, retried, then given up', async () => {
    // Only SHA256SUMS fails (manifest.json is absent), so one request chain is counted.
    const s = await serve((req, res) =>
      req.url === '/SHA256SUMS' ? res.writeHead(500).end('oops') : res.writeHead(404).end(),
    );
    const res = await fetchCli([`${s.url}image.wsl`, '--to', 'out'], { CROSSFLAKE_RETRIES: '2' });
    expectOneLine(res, 1, 'HTTP 500 Internal Server Error (after 3 attempts)', 'try again later');
    expect(s.paths.filter((p) => p === '/SHA256SUMS')).toHaveLength(3);
  });

  it('a body cut short every time: resumable, and the partial file is kept', async () => {
    const s = await serve(
      release((req, res) => {
        const start = Number(/bytes=(\d+)-/.exec(req.headers.range ?? '')?.[1] ?? 0);
        const rest = body.subarray(start);
        const headers = start
          ? { 'content-range': `bytes ${start}-${body.length - 1}/${body.length}` }
          : {};
        res.writeHead(start ? 206 : 200, {
          'content-length': rest.length,
          etag: '"v1"',
          ...headers,
        });
        // end(), not destroy(): a reset would make the kernel drop the bytes sent.
        res.write(rest.subarray(0, 1000), () => res.socket?.end());
      }),
    );
    const res = await fetchCli([`${s.url}image.wsl`, '--to', 'out'], { CROSSFLAKE_RETRIES: '1' });
    expectOneLine(res, 1, `${s.url}image.wsl`, `of ${body.length} bytes`, 'it resumes');
    expect(readFileSync(join(dir, 'out', '.image.wsl.crossflake-partial')).length).toBe(2000);
  });

  it('a stalled download fails after --timeout, naming the URL', async () => {
    const s = await serve(
      release((_, res) => {
        res.writeHead(200, { 'content-length': body.length });
        res.write(body.subarray(0, 1000)); // and then nothing
      }),
    );
    const res = await fetchCli([`${s.url}image.wsl`, '--to', 'out', '--timeout', '1']);
    expectOneLine(res, 1, `${s.url}image.wsl: stalled: no data for 1 s`, '--timeout');
    // A stall with no progress at all is not waited for again.
    expect(s.paths.filter((p) => p === '/image.wsl').length).toBeLessThanOrEqual(2);
  });

  it('a huge Content-Length is shown in readable units and refused for lack of space', async () => {
    const huge = 4 * 1024 ** 5; // 4 PiB
    const s = await serve(
      release((_, res) => {
        res.writeHead(200, { 'content-length': huge });
        res.write(body.subarray(0, 10), () => res.socket?.destroy());
      }),
    );
    const res = await fetchCli([`${s.url}image.wsl`, '--to', 'out']);
    expectOneLine(res, 1, `${s.url}image.wsl: needs 4.0 PiB but`, 'free some space');
    expect(res.stderr).not.toMatch(/\d{10}/);
  });
});

describe('images fetch: bad input is one line, exit 2', () => {
  it('an invalid URL', async () => {
    const res = await fetchCli(['http://[::1/image.wsl']);
    expectOneLine(res, 2, "'http://[::1/image.wsl' is not a valid URL");
  });

  it('a malformed percent-encoding in the file name', async () => {
    const res = await fetchCli(['http://127.0.0.1:9/bad%E0%A4%A.wsl']);
    expectOneLine(res, 2, 'malformed %-escape', '%25');
  });

  it('--to naming a file', async () => {
    writeFileSync(join(dir, 'afile'), 'x');
    const res = await fetchCli(['http://127.0.0.1:9/image.wsl', '--to', 'afile']);
    expectOneLine(res, 2, `--to ${join(dir, 'afile')} is not a directory`);
  });

  it('a local artifact that is a directory', async () => {
    const rel = join(dir, 'rel');
    mkdirSync(join(rel, 'image.wsl'), { recursive: true });
    writeFileSync(join(rel, 'SHA256SUMS'), sums);
    const res = await fetchCli([rel, '--image', 'image.wsl', '--to', 'out']);
    expectOneLine(res, 2, `${join(rel, 'image.wsl')} is not a regular file`);
  });
});

describe('images fetch never writes through a link, and sweeps its own debris', () => {
  async function goodRelease() {
    return serve(
      release((_, res) => {
        res.writeHead(200, { 'content-length': body.length, etag: '"v1"' }).end(body);
      }),
    );
  }

  it('a target that is a directory is refused (exit 1)', async () => {
    const s = await goodRelease();
    mkdirSync(join(dir, 'out', 'image.wsl'), { recursive: true });
    const res = await fetchCli([`${s.url}image.wsl`, '--to', 'out']);
    expectOneLine(res, 1, `${join(dir, 'out', 'image.wsl')} (the artifact) is a directory`);
  });

  it('a symbolic link planted as the partial file is refused; the file it points to is untouched', async () => {
    const s = await goodRelease();
    mkdirSync(join(dir, 'out'));
    const outside = join(dir, 'outside.txt');
    writeFileSync(outside, 'precious');
    symlinkSync(outside, join(dir, 'out', '.image.wsl.crossflake-partial'));
    writeFileSync(
      join(dir, 'out', '.image.wsl.crossflake-partial.json'),
      JSON.stringify({ url: `${s.url}image.wsl`, etag: '"v1"', lastModified: null }),
    );
    const res = await fetchCli([`${s.url}image.wsl`, '--to', 'out']);
    expectOneLine(
      res,
      1,
      '.image.wsl.crossflake-partial (the partial download) is a symbolic link',
    );
    expect(readFileSync(outside, 'utf8')).toBe('precious');
    expect(existsSync(join(dir, 'out', 'image.wsl'))).toBe(false);
  });

  it('a symbolic link planted as the partial record is refused', async () => {
    const s = await goodRelease();
    mkdirSync(join(dir, 'out'));
    writeFileSync(join(dir, 'out', '.image.wsl.crossflake-partial'), body.subarray(0, 10));
    symlinkSync(
      join(dir, 'elsewhere.json'),
      join(dir, 'out', '.image.wsl.crossflake-partial.json'),
    );
    const res = await fetchCli([`${s.url}image.wsl`, '--to', 'out']);
    expectOneLine(
      res,
      1,
      'crossflake-partial.json (the partial download record) is a symbolic link',
    );
    expect(existsSync(join(dir, 'elsewhere.json'))).toBe(false);
  });

  it('a symbolic link planted as the final artifact is refused, even with --force', async () => {
    const s = await goodRelease();
    mkdirSync(join(dir, 'out'));
    const outside = join(dir, 'outside.wsl');
    writeFileSync(outside, 'precious');
    symlinkSync(outside, join(dir, 'out', 'image.wsl'));
    const res = await fetchCli([`${s.url}image.wsl`, '--to', 'out', '--force']);
    expectOneLine(res, 1, `${join(dir, 'out', 'image.wsl')} (the artifact) is a symbolic link`);
    expect(readFileSync(outside, 'utf8')).toBe('precious');
  });

  it('an orphan partial-download record (its file never written) is swept by the next run', async () => {
    const s = await goodRelease();
    mkdirSync(join(dir, 'out'));
    const orphan = join(dir, 'out', '.other.wsl.crossflake-partial.json');
    writeFileSync(
      orphan,
      JSON.stringify({ url: `${s.url}other.wsl`, etag: null, lastModified: null }),
    );
    const mine = join(dir, 'out', 'notes.json');
    writeFileSync(mine, '{}');
    const res = await fetchCli([`${s.url}image.wsl`, '--to', 'out']);
    expect(res.code).toBe(0);
    expect(readdirSync(join(dir, 'out')).sort()).toEqual(['image.wsl', 'notes.json']);
  });
});

describe('images fetch reads SHA256SUMS with the one artifact-name grammar', () => {
  const withSums =
    (text: string): Handler =>
    (req, res) => {
      if (req.url === '/SHA256SUMS') res.writeHead(200).end(text);
      else res.writeHead(404).end();
    };

  it('a file listed twice is refused, naming the line (exit 1), and nothing is written', async () => {
    const s = await serve(withSums(`${sha}  image.wsl\n${'0'.repeat(64)}  image.wsl\n`));
    const res = await fetchCli([s.url, '--to', 'out']);
    expectOneLine(res, 1, 'SHA256SUMS:2', 'more than once');
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('a name with escape bytes is refused and shown escaped, never raw', async () => {
    const s = await serve(withSums(`${sha}  image\x1b[2J.wsl\n`));
    const res = await fetchCli([s.url, '--to', 'out']);
    expect(res.stderr).not.toContain('\x1b');
    expectOneLine(res, 1, 'SHA256SUMS:1', '\\x1b');
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });
});
