// The upload body that reuses two buffers (src/io/net/file-body.ts): the
// bytes and ranges it yields, that it really reuses its buffers (so a consumer
// that reads ahead would be wrong), and that undici, which takes the next
// chunk only after the socket took the last, sends a large file intact to the
// real nginx (digest of what the store holds against the file's own).
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileBody } from '../../../src/io/net/file-body.js';
import { netConfig } from '../../../src/io/net/client.js';
import { hashRemote, putFile } from '../../../src/io/net/put.js';
import {
  PASSWORD,
  USER,
  nginxMissing,
  startNginx,
  type Served,
} from '../../images/stores/servers.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cf-file-body-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Everything the body yields, each chunk copied before the next is asked for. */
async function collect(body: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of body) parts.push(Buffer.from(chunk));
  return Buffer.concat(parts);
}

describe('fileBody', () => {
  it('yields exactly the bytes of the file, and of any inclusive range, whatever the chunk size', async () => {
    const data = randomBytes(1000);
    const file = join(dir, 'data.bin');
    await writeFile(file, data);
    expect((await collect(fileBody(file))).equals(data)).toBe(true);
    for (const chunk of [1, 7, 256, 999, 1000, 4096]) {
      for (const [start, end] of [
        [0, 999],
        [3, 3],
        [10, 700],
        [999, 999],
        [500, 5000],
      ] as const) {
        const got = await collect(fileBody(file, start, end, chunk));
        expect(got.equals(data.subarray(start, end + 1)), `${chunk}: ${start}-${end}`).toBe(true);
      }
    }
  });

  it('fills its two buffers in turn: a chunk held past the next two pulls is overwritten', async () => {
    const file = join(dir, 'turns.bin');
    await writeFile(file, Buffer.from('aaaabbbbcccc'));
    const body = fileBody(file, 0, Number.POSITIVE_INFINITY, 4);
    const first = (await body.next()).value as Buffer;
    expect(first.toString()).toBe('aaaa');
    await body.next();
    expect(first.toString()).toBe('aaaa');
    await body.next();
    expect(first.toString()).toBe('cccc');
    await body.return(undefined);
  });
});

const missing = nginxMissing();
describe.skipIf(missing)(
  `an upload with reused buffers arrives intact (real nginx)${missing ? ` (skipped: ${missing})` : ''}`,
  () => {
    let server: Served;
    let root: string;
    beforeAll(async () => {
      root = await mkdtemp(join(tmpdir(), 'cf-file-body-nginx-'));
      server = await startNginx(root);
    });
    afterAll(async () => {
      await server?.stop();
      await rm(root, { recursive: true, force: true });
    });

    it('a 96 MiB file and a range of it, PUT and read back: the same digests', async () => {
      // Far more than the socket buffers hold, so the socket pushes back many times.
      const data = randomBytes(96 * 1024 * 1024);
      const file = join(dir, 'big.bin');
      await writeFile(file, data);
      const auth = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
      const client = { auth: { authorization: auth }, net: netConfig({}) };
      const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
      const cases = [
        { name: 'whole.bin', source: { path: file }, bytes: data },
        {
          name: 'range.bin',
          source: { path: file, start: 1_000_003, end: 70_000_000 },
          bytes: data.subarray(1_000_003, 70_000_001),
        },
      ];
      for (const c of cases) {
        const url = `http://127.0.0.1:${server.port}/file-body/${c.name}`;
        const sha256 = sha(c.bytes);
        await putFile(client, url, c.source, {
          size: c.bytes.length,
          sha256,
          contentType: 'application/octet-stream',
        });
        expect(await hashRemote(client, url), c.name).toBe(sha256);
      }
    }, 180_000);
  },
);
