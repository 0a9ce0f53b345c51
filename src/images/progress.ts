// Live progress for `images build`: one line per image with its state,
// elapsed time and last log line, redrawn in place on a terminal; a plain
// line per state change otherwise (CI logs, --json, pipes).
import { printable, printableLines } from '../ui/printable.js';

export type ImageState =
  | 'queued'
  | 'building'
  /** Its own derivation's build step ended; the outcome is known when nix exits. */
  | 'waiting'
  | 'running-root'
  | 'exporting'
  | 'built'
  | 'reused'
  | 'failed'
  | 'skipped'
  | 'not-built';

export interface ImageProgress {
  key: string;
  state: ImageState;
  startedAt: number | null;
  endedAt: number | null;
  lastLine: string;
  detail: string;
}

const FINAL: ReadonlySet<ImageState> = new Set([
  'built',
  'reused',
  'failed',
  'skipped',
  'not-built',
]);

export interface Writer {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export function elapsed(p: ImageProgress, now: number): string {
  if (p.startedAt === null) return '';
  return `${(((p.endedAt ?? now) - p.startedAt) / 1000).toFixed(1)}s`;
}

/** One status line for an image, cut to `width` columns. */
export function statusLine(p: ImageProgress, keyWidth: number, now: number, width: number): string {
  // A multi-line detail (Nix's error) shows as one line: its lines joined.
  const tail = FINAL.has(p.state) ? p.detail.split('\n').join(' | ') : p.lastLine;
  const text = `${p.key.padEnd(keyWidth)}  ${p.state.padEnd(12)} ${elapsed(p, now).padStart(7)}  ${tail}`;
  return text.length > width ? `${text.slice(0, Math.max(0, width - 1))}…` : text;
}

export class Progress {
  private readonly images = new Map<string, ImageProgress>();
  private readonly keyWidth: number;
  private timer: NodeJS.Timeout | null = null;
  private drawn = 0;

  constructor(
    keys: readonly string[],
    private readonly out: Writer,
    private readonly live: boolean,
    private readonly clock: () => number = Date.now,
    /** --verbose: every log line is printed as it comes (line mode only). */
    private readonly verbose = false,
  ) {
    for (const key of keys) {
      this.images.set(key, {
        key,
        state: 'queued',
        startedAt: null,
        endedAt: null,
        lastLine: '',
        detail: '',
      });
    }
    this.keyWidth = Math.max(0, ...keys.map((k) => k.length));
    if (live) {
      this.timer = setInterval(() => this.redraw(), 200);
      this.timer.unref();
    }
  }

  get(key: string): ImageProgress | undefined {
    return this.images.get(key);
  }

  /** Moves an image to a new state; prints the change in line mode. */
  set(key: string, state: ImageState, detail = ''): void {
    const p = this.images.get(key);
    // A final state stays (Nix 2.8 reports a build's end long after we exported it).
    if (!p || (p.state === state && p.detail === detail) || FINAL.has(p.state)) return;
    const now = this.clock();
    if (p.startedAt === null && state !== 'queued' && state !== 'skipped') p.startedAt = now;
    if (FINAL.has(state)) p.endedAt = now;
    p.state = state;
    p.detail = printableLines(detail);
    if (!this.live) {
      const time = p.startedAt !== null && FINAL.has(state) ? ` in ${elapsed(p, now)}` : '';
      const [first = '', ...more] = p.detail.split('\n');
      const rest = more.map((l) => `\n    ${l}`).join('');
      this.out.write(`[${key}] ${state}${time}${first ? `: ${first}` : ''}${rest}\n`);
    }
  }

  /** Records the newest log line of an image (shown live; printed in line mode with --verbose). */
  line(key: string, text: string): void {
    const p = this.images.get(key);
    if (p && text.trim() !== '') p.lastLine = printable(text.trim());
    if (this.verbose && !this.live) this.out.write(`[${key}] ${printable(text)}\n`);
  }

  /** A log line of Nix's that belongs to no image (printed with --verbose). */
  note(text: string): void {
    if (this.verbose && !this.live) this.out.write(`${printableLines(text)}\n`);
  }

  private redraw(): void {
    // A pseudo-terminal may report 0 columns; fall back to a common width.
    const width = (this.out.columns ?? 0) >= 20 ? (this.out.columns as number) : 100;
    const now = this.clock();
    const lines = [...this.images.values()].map((p) => statusLine(p, this.keyWidth, now, width));
    const up = this.drawn > 0 ? `\u001b[${this.drawn}A` : '';
    this.out.write(`${up}${lines.map((l) => `\u001b[2K${l}\n`).join('')}`);
    this.drawn = lines.length;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.live) this.redraw();
  }
}
