// Real company-storage servers for the tests, on 127.0.0.1 in temp prefixes:
// Debian's nginx taking WebDAV PUT behind auth_basic (an htpasswd made with
// `openssl passwd -apr1`), and Debian's docker-registry (CNCF distribution
// 2.8) with filesystem storage and htpasswd auth (bcrypt, made with bcryptjs).
// Each start returns how to stop it; a server that cannot start says why.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, connect, type Socket } from 'node:net';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';

export const USER = 'release-bot';
export const PASSWORD = 'store-pass-0c1d2e3f';

export interface Served {
  port: number;
  /** nginx: a second port of the same server, so a redirect can go to another origin. */
  otherPort?: number;
  /** The server's request log so far. */
  log: () => Promise<string>;
  stop: () => Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

async function waitForPort(port: number, child: ChildProcess, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}`);
    const up = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
    });
    if (up) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what} did not listen on ${port}`);
}

function stopper(child: ChildProcess): () => Promise<void> {
  return async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    await once(child, 'exit');
  };
}

/** Why nginx cannot be used here, or null. */
export function nginxMissing(): string | null {
  const r = spawnSync('nginx', ['-v'], { encoding: 'utf8' });
  return r.error ? 'nginx is not installed (apt-get install nginx)' : null;
}

export function registryMissing(): string | null {
  const r = spawnSync('docker-registry', ['--version'], { encoding: 'utf8' });
  return r.error ? 'docker-registry is not installed (apt-get install docker-registry)' : null;
}

export async function startNginx(dir: string): Promise<Served> {
  const www = join(dir, 'www');
  await mkdir(www, { recursive: true });
  await mkdir(join(dir, 'logs'), { recursive: true });
  const hash = spawnSync('openssl', ['passwd', '-apr1', PASSWORD], { encoding: 'utf8' });
  if (hash.status !== 0) throw new Error(`openssl passwd failed: ${hash.stderr}`);
  await writeFile(join(dir, 'htpasswd'), `${USER}:${hash.stdout.trim()}\n`);
  const port = await freePort();
  let otherPort = await freePort();
  while (otherPort === port) otherPort = await freePort();
  const temp = (name: string) => `${name}_temp_path ${join(dir, name)};`;
  const auth = `auth_basic "store"; auth_basic_user_file ${join(dir, 'htpasswd')};`;
  await writeFile(
    join(dir, 'nginx.conf'),
    `user root root;
worker_processes 1;
error_log ${join(dir, 'logs', 'error.log')};
pid ${join(dir, 'nginx.pid')};
events { worker_connections 64; }
http {
  # Whether a request carried an Authorization header (never its value).
  map $http_authorization $has_auth { "" no; default yes; }
  log_format req '$request_method $uri $status $request_length $server_port auth=$has_auth';
  access_log ${join(dir, 'logs', 'access.log')} req;
  ${temp('client_body')} ${temp('proxy')} ${temp('fastcgi')} ${temp('uwsgi')} ${temp('scgi')}
  client_max_body_size 0;
  server {
    listen 127.0.0.1:${port};
    listen 127.0.0.1:${otherPort};
    root ${www};
    location / {
      dav_methods PUT;
      create_full_put_path on;
      dav_access user:rw group:r all:r;
      limit_except GET HEAD { ${auth} }
    }
    # A store that wants credentials to read as well.
    location /private/ {
      dav_methods PUT;
      create_full_put_path on;
      dav_access user:rw group:r all:r;
      ${auth}
    }
    # Behind the same credentials, a redirect to the other port (another
    # origin), where /pub/ serves the private folder without credentials.
    # try_files runs after the access check, so only an authorized request
    # reaches the redirect.
    location /private/moved/ {
      ${auth}
      try_files /nonexistent-crossflake @moved;
    }
    location @moved {
      rewrite ^/private/moved/(.*)$ http://127.0.0.1:${otherPort}/pub/$1 redirect;
    }
    location /pub/ {
      alias ${www}/private/;
    }
  }
}
`,
  );
  const child = spawn('nginx', ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  try {
    await waitForPort(port, child, 'nginx');
  } catch (error) {
    throw new Error(`${(error as Error).message}: ${stderr}`);
  }
  return {
    port,
    otherPort,
    log: () => readFile(join(dir, 'logs', 'access.log'), 'utf8').catch(() => ''),
    stop: stopper(child),
  };
}

export async function startRegistry(dir: string): Promise<Served> {
  await mkdir(join(dir, 'data'), { recursive: true });
  await writeFile(join(dir, 'htpasswd'), `${USER}:${bcrypt.hashSync(PASSWORD, 4)}\n`);
  const port = await freePort();
  await writeFile(
    join(dir, 'config.yml'),
    `version: 0.1
log:
  level: info
  formatter: text
storage:
  filesystem:
    rootdirectory: ${join(dir, 'data')}
  delete:
    enabled: true
http:
  addr: 127.0.0.1:${port}
  secret: crossflake-test-secret
auth:
  htpasswd:
    realm: crossflake-test
    path: ${join(dir, 'htpasswd')}
`,
  );
  const child = spawn('docker-registry', ['serve', join(dir, 'config.yml')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  try {
    await waitForPort(port, child, 'docker-registry');
  } catch (error) {
    throw new Error(`${(error as Error).message}: ${out}`);
  }
  return { port, log: async () => out, stop: stopper(child) };
}

/**
 * A TCP relay in front of a server that drops the connection once, after
 * `cutAfter` bytes from the client, and refuses connections while `refusing`.
 * It counts the bytes the client sent, so a test sees what a resume re-sent.
 */
export interface CutProxy {
  port: number;
  sent: () => number;
  /**
   * Drops the line once `bytes` more have passed; with `atRequest`, at the
   * first request starting with it after that, before a byte of it is relayed
   * (so the server holds only whole requests).
   */
  cutAfter: (bytes: number, thenRefuse: boolean, atRequest?: string) => void;
  heal: () => void;
  stop: () => Promise<void>;
}

export async function startCutProxy(targetPort: number): Promise<CutProxy> {
  let total = 0;
  let cutAt: number | null = null;
  let refuseAfterCut = false;
  let cutAtRequest: string | null = null;
  let refusing = false;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    if (refusing) return void client.destroy();
    const upstream = connect(targetPort, '127.0.0.1');
    sockets.add(client).add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('data', (chunk: Buffer) => {
      const due = cutAt !== null && total + chunk.length >= cutAt;
      if (
        due &&
        cutAtRequest !== null &&
        chunk.subarray(0, cutAtRequest.length).toString() === cutAtRequest
      ) {
        cutAt = null;
        refusing = refuseAfterCut;
        return drop();
      }
      total += chunk.length;
      if (due && cutAtRequest === null) {
        cutAt = null;
        refusing = refuseAfterCut;
        return drop();
      }
      if (!upstream.write(chunk)) {
        client.pause();
        upstream.once('drain', () => client.resume());
      }
    });
    upstream.pipe(client);
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as { port: number }).port,
    sent: () => total,
    cutAfter: (bytes, thenRefuse, atRequest) => {
      cutAt = total + bytes;
      refuseAfterCut = thenRefuse;
      cutAtRequest = atRequest ?? null;
    },
    heal: () => {
      refusing = false;
    },
    stop: async () => {
      for (const s of sockets) s.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}
