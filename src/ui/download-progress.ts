// Download progress: a redrawn bar on a terminal, a plain line every 10%
// otherwise (logs and CI stay readable).
import type { Progress } from '../io/net/download.js';

export function mib(bytes: number): string {
  return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
}

export interface ProgressSink {
  update(progress: Progress): void;
  done(): void;
}

export function progressBar(
  stream: { write(chunk: string): unknown; isTTY?: boolean },
  label: string,
  now: () => number = Date.now,
): ProgressSink {
  const tty = stream.isTTY === true;
  const started = now();
  let lastDraw = 0;
  let lastDecile = -1;
  let drawn = false;
  return {
    update(p) {
      const fraction = p.total ? Math.min(1, p.received / p.total) : null;
      const t = now();
      if (tty) {
        if (t - lastDraw < 100 && fraction !== 1) return;
        lastDraw = t;
        const width = 24;
        const filled = fraction === null ? 0 : Math.round(fraction * width);
        const bar =
          fraction === null ? '?'.repeat(width) : '#'.repeat(filled) + '.'.repeat(width - filled);
        const rate = ((p.received - p.resumedFrom) / Math.max(0.001, (t - started) / 1000)) | 0;
        const pct = fraction === null ? '  ?%' : `${Math.floor(fraction * 100)}%`.padStart(4);
        stream.write(
          `\r${label} [${bar}] ${pct} ${mib(p.received)}${p.total ? ` / ${mib(p.total)}` : ''} ${mib(rate)}/s `,
        );
        drawn = true;
        return;
      }
      const decile = fraction === null ? -1 : Math.floor(fraction * 10);
      if (decile > lastDecile) {
        lastDecile = decile;
        const resumed = p.resumedFrom > 0 ? ` (resumed at ${mib(p.resumedFrom)})` : '';
        stream.write(
          `${label}: ${decile * 10}% ${mib(p.received)} of ${mib(p.total ?? 0)}${resumed}\n`,
        );
      }
    },
    done() {
      if (tty && drawn) stream.write('\n');
    },
  };
}
