// A real HTTP server on 127.0.0.1 serving a release directory, with Range
// support and a switch to drop the connection part-way through a file.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';

export interface ServedRequest {
  path: string;
  range: string | undefined;
  status: number;
}

export interface ReleaseServer {
  url: string;
  requests: ServedRequest[];
  /** The next `times` full responses for `file` stop after `bytes` bytes. */
  dropAfter(file: string, bytes: number, times?: number): void;
  close(): Promise<void>;
}

/** With `tls`, the server speaks HTTPS with that key and certificate. */
export async function serveRelease(
  root: string,
  tls?: { key: Buffer; cert: Buffer },
): Promise<ReleaseServer> {
  const requests: ServedRequest[] = [];
  const drops = new Map<string, { bytes: number; times: number }>();
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      const file = join(root, path);
      const info = await stat(file).catch(() => null);
      const record = (status: number) => requests.push({ path, range: req.headers.range, status });
      if (!info?.isFile() || path.includes('..')) {
        record(404);
        res.writeHead(404).end('not found');
        return;
      }
      const body = await readFile(file);
      const etag = `"${info.size}-${info.mtimeMs}"`;
      const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
      const ifRange = req.headers['if-range'];
      if (range && (!ifRange || ifRange === etag)) {
        const start = Number(range[1]);
        if (start >= body.length) {
          record(416);
          res.writeHead(416, { 'content-range': `bytes */${body.length}` }).end();
          return;
        }
        record(206);
        res.writeHead(206, {
          'content-length': body.length - start,
          'content-range': `bytes ${start}-${body.length - 1}/${body.length}`,
          etag,
        });
        res.end(body.subarray(start));
        return;
      }
      record(200);
      res.writeHead(200, { 'content-length': body.length, etag, 'accept-ranges': 'bytes' });
      const drop = drops.get(path.replace(/^\//, ''));
      if (drop && drop.times > 0) {
        drop.times--;
        res.write(body.subarray(0, drop.bytes), () => res.socket?.destroy());
        return;
      }
      res.end(body);
    })();
  };
  const server: Server = tls ? createTlsServer(tls, handle) : createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}/`,
    requests,
    dropAfter(file, bytes, times = 1) {
      drops.set(file, { bytes, times });
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
