// The operating system and CPU as Node reports them, and the time limit every
// probe runs under: shared by doctor's full probe (index.ts) and the narrower
// one of `crossflake vm` (vm-facts.ts), which loads nothing else.
import os from 'node:os';
import type { Arch, Kernel, OsFacts } from './facts.js';

export function kernelOf(platform: string): Kernel {
  if (platform === 'linux' || platform === 'darwin') return platform;
  return platform === 'win32' ? 'windows' : 'other';
}

export function archOf(nodeArch: string): Arch {
  if (nodeArch === 'x64') return 'x86_64';
  return nodeArch === 'arm64' ? 'aarch64' : 'other';
}

/** The operating system and CPU as Node reports them (no process started). */
export function osFacts(): OsFacts {
  return {
    kernel: kernelOf(os.platform()),
    arch: archOf(os.arch()),
    release: os.release(),
    nodePlatform: os.platform(),
    nodeArch: os.arch(),
  };
}

export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
