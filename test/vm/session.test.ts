// crossflake killed in the instant after it starts the VM's process, before
// the watchdog holds the VM's group id: the VM must never run. The session
// code runs in a child Node (a private esbuild bundle of src/io/vm/session.ts)
// that SIGKILLs itself right after startVm returns; the "runner" is a shell
// script that records its pid and sleeps (no QEMU needed).
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build as esbuild } from 'esbuild';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { scratchDirs } from '../helpers/scratch.js';
import { alive, until } from './tiny-linux.js';

const { fresh } = await scratchDirs('crossflake-vm-session-');
let bundle: string;
const started: number[] = [];

beforeAll(async () => {
  bundle = join(await fresh(), 'session.mjs');
  await esbuild({
    entryPoints: ['src/io/vm/session.ts'],
    outfile: bundle,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'error',
  });
});

afterEach(() => {
  // A runner that did start (the failure this test looks for) is not left behind.
  for (const pid of started.splice(0)) if (alive(pid)) process.kill(pid, 'SIGKILL');
});

describe.runIf(process.platform !== 'win32')('the VM process and the watchdog', () => {
  it('crossflake killed right after starting the VM, before the watchdog has its id: the VM never runs', async () => {
    const dir = await fresh();
    const record = join(dir, 'runner.pid');
    const runner = join(dir, 'run-fake-vm');
    writeFileSync(runner, `#!/bin/sh\necho $$ > ${record}\nexec sleep 1000\n`);
    chmodSync(runner, 0o755);
    const sessionPid = join(dir, 'session.pid');
    const script = `
      import { writeFileSync } from 'node:fs';
      import { startVm } from ${JSON.stringify(bundle)};
      const s = startVm({ runner: ${JSON.stringify(runner)}, env: {}, logFile: ${JSON.stringify(join(dir, 'console.log'))}, qmpSocket: ${JSON.stringify(join(dir, 'qmp.sock'))} });
      writeFileSync(${JSON.stringify(sessionPid)}, String(s.pid));
      process.kill(process.pid, 'SIGKILL');
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      stdio: 'ignore',
    });
    const signal = await new Promise((r) => child.on('close', (_code, sig) => r(sig)));
    expect(signal).toBe('SIGKILL');
    // The VM's process (its pid is the group the watchdog would stop) is gone ...
    const pid = Number(readFileSync(sessionPid, 'utf8'));
    expect(await until(() => !alive(pid))).toBe(true);
    // ... and the runner never got to run.
    if (existsSync(record)) started.push(Number(readFileSync(record, 'utf8')));
    expect(existsSync(record)).toBe(false);
  });
});
