// JSON output too large for one string: the same text JSON.stringify(value,
// null, 2) gives, written in chunks as it is made. A syntax tree of a large
// file prints to more than V8's longest string ("Invalid string length").
export interface Sink {
  write(chunk: string): unknown;
  once?(event: 'drain', listener: () => void): unknown;
}

const FLUSH_AT = 1 << 16;

export async function writeJson(value: unknown, sink: Sink): Promise<void> {
  let buffer = '';
  const flush = async (): Promise<void> => {
    const chunk = buffer;
    buffer = '';
    // Wait for a slow reader instead of queueing the whole output in memory.
    if (sink.write(chunk) === false && sink.once) {
      await new Promise<void>((done) => sink.once!('drain', done));
    }
  };
  const emit = async (v: unknown, indent: string): Promise<void> => {
    if (buffer.length >= FLUSH_AT) await flush();
    if (Array.isArray(v)) {
      if (v.length === 0) return void (buffer += '[]');
      const inner = `${indent}  `;
      buffer += '[';
      for (let i = 0; i < v.length; i++) {
        buffer += `${i === 0 ? '' : ','}\n${inner}`;
        const item: unknown = v[i];
        if (item === undefined || typeof item === 'function') buffer += 'null';
        else await emit(item, inner);
      }
      buffer += `\n${indent}]`;
      return;
    }
    if (v !== null && typeof v === 'object') {
      const entries = Object.entries(v).filter(
        ([, x]) => x !== undefined && typeof x !== 'function',
      );
      if (entries.length === 0) return void (buffer += '{}');
      const inner = `${indent}  `;
      buffer += '{';
      for (let i = 0; i < entries.length; i++) {
        const [key, x] = entries[i]!;
        buffer += `${i === 0 ? '' : ','}\n${inner}${JSON.stringify(key)}: `;
        await emit(x, inner);
      }
      buffer += `\n${indent}}`;
      return;
    }
    buffer += JSON.stringify(v) ?? 'null';
  };
  await emit(value, '');
  buffer += '\n';
  await flush();
}
