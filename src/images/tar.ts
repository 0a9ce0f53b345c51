// A streaming reader of tar archives (ustar, GNU long names, pax path
// records), enough to list members and see their bytes without unpacking:
// the privacy gate reads multi-GiB WSL and container tarballs through it.
// Pure: feed chunks, receive callbacks.

const BLOCK = 512;

export interface TarVisitor {
  entry(name: string, type: string, size: number): void;
  data(name: string, chunk: Buffer): void;
}

function text(block: Buffer, start: number, length: number): string {
  const raw = block.subarray(start, start + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end === -1 ? raw.length : end).toString('utf8');
}

function sizeOf(block: Buffer): number {
  const field = block.subarray(124, 136);
  if ((field[0] ?? 0) & 0x80) {
    // GNU base-256 for sizes over 8 GiB.
    let n = 0;
    for (let i = 1; i < field.length; i++) n = n * 256 + (field[i] ?? 0);
    return n;
  }
  return Number.parseInt(text(field, 0, 12).trim() || '0', 8);
}

/** `path=` value of a pax extended header body. */
function paxPath(body: Buffer): string | null {
  const match = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(body.toString('utf8'));
  return match?.[1] ?? null;
}

export function isTarHeader(block: Buffer): boolean {
  return block.length >= BLOCK && block.subarray(257, 262).toString('latin1') === 'ustar';
}

export class TarReader {
  private pending = Buffer.alloc(0);
  /** Bytes of the current member's body still to come (plus padding). */
  private remaining = 0;
  private padding = 0;
  private name = '';
  private meta: 'pax' | 'longname' | null = null;
  private metaBody: Buffer[] = [];
  private nextName: string | null = null;
  private ended = false;

  constructor(private readonly visitor: TarVisitor) {}

  push(chunk: Buffer): void {
    let buf = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = Buffer.alloc(0);
    while (buf.length > 0 && !this.ended) {
      if (this.remaining > 0) {
        const take = Math.min(this.remaining, buf.length);
        this.body(buf.subarray(0, take));
        this.remaining -= take;
        buf = buf.subarray(take);
        if (this.remaining === 0) this.endBody();
        continue;
      }
      if (this.padding > 0) {
        const take = Math.min(this.padding, buf.length);
        this.padding -= take;
        buf = buf.subarray(take);
        continue;
      }
      if (buf.length < BLOCK) {
        this.pending = Buffer.from(buf);
        return;
      }
      this.header(buf.subarray(0, BLOCK));
      buf = buf.subarray(BLOCK);
    }
  }

  private header(block: Buffer): void {
    if (block.every((b) => b === 0)) {
      this.ended = true;
      return;
    }
    const type = String.fromCharCode(block[156] ?? 48) || '0';
    const prefix = text(block, 345, 155);
    const base = text(block, 0, 100);
    const size = sizeOf(block);
    this.name = this.nextName ?? (prefix ? `${prefix}/${base}` : base);
    this.remaining = size;
    this.padding = (BLOCK - (size % BLOCK)) % BLOCK;
    if (type === 'x' || type === 'L') {
      this.meta = type === 'x' ? 'pax' : 'longname';
      this.metaBody = [];
    } else {
      this.nextName = null;
      this.meta = null;
      this.visitor.entry(this.name, type === '\0' ? '0' : type, size);
    }
    if (size === 0) this.endBody();
  }

  private body(chunk: Buffer): void {
    if (this.meta) this.metaBody.push(Buffer.from(chunk));
    else this.visitor.data(this.name, chunk);
  }

  private endBody(): void {
    if (this.meta === 'pax') this.nextName = paxPath(Buffer.concat(this.metaBody)) ?? this.nextName;
    if (this.meta === 'longname') {
      this.nextName = Buffer.concat(this.metaBody).toString('utf8').replace(/\0+$/, '');
    }
    this.meta = null;
  }
}
