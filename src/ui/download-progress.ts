// Download progress: a redrawn bar on a terminal, a plain line every 10%
// otherwise (logs and CI stay readable).
import type { Progress } from '../io/net/download.js';

/** Bytes for people: 3 B, 812.0 MiB, 1.5 GiB (a huge Content-Length stays short). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
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
          `\r${label} [${bar}] ${pct} ${formatBytes(p.received)}${p.total ? ` / ${formatBytes(p.total)}` : ''} ${formatBytes(rate)}/s `,
        );
        drawn = true;
        return;
      }
      const decile = fraction === null ? -1 : Math.floor(fraction * 10);
      if (decile > lastDecile) {
        lastDecile = decile;
        const resumed = p.resumedFrom > 0 ? ` (resumed at ${formatBytes(p.resumedFrom)})` : '';
        stream.write(
          `${label}: ${decile * 10}% ${formatBytes(p.received)} of ${formatBytes(p.total ?? 0)}${resumed}\n`,
        );
      }
    },
    done() {
      if (tty && drawn) stream.write('\n');
    },
  };
}
